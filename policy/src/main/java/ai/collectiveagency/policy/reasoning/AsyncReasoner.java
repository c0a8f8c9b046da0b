package ai.collectiveagency.policy.reasoning;

import ai.collectiveagency.policy.Policy;
import ai.collectiveagency.policy.decode.PanelMatmul;
import ai.collectiveagency.policy.decode.ParallelRange;
import ai.collectiveagency.policy.decode.blocks.BlockDecoder;
import ai.collectiveagency.policy.sampling.GenerationCancelledException;
import ai.collectiveagency.policy.tokenizer.Message;

import java.util.List;

/**
 * Asynchronous Reasoning (arXiv 2512.10931), training-free: one model runs a private thinker and
 * a public writer concurrently over one block KV cache, two rows of each batched step, and the
 * writer starts as soon as the thinker says its thoughts are far enough ahead, instead of after
 * all of them. The {@link ReasoningSchedule} decides which stream steps; the texts come from
 * {@link AsyncReasoningPrompts}; text that arrives mid-run ({@link ReasoningSession#hear}) is
 * prefilled as its own block while the thinker goes on.
 *
 * <p>Usage:
 * <pre>{@code
 * AsyncReasoner reasoner = AsyncReasoner.of(policy, AsyncReasoningPrompts.defaults());
 * ReasoningResult result = reasoner.run(List.of(Message.user("...")),
 *         ReasoningSettings.greedy(256, 128), listener);
 * }</pre>
 *
 * <p>One reasoner serves one run at a time per thread: runs share the weights, not their blocks.
 */
public final class AsyncReasoner {

    private final BlockDecoder decoder;
    private final ReasoningText text; // null: runs open from ids only (a model without a tokenizer)

    /**
     * @param text the model's prompts and tokenizer, or null when runs are opened from
     *     {@link ReasoningIds} only
     */
    public AsyncReasoner(BlockDecoder decoder, ReasoningText text) {
        this.decoder = decoder;
        this.text = text;
    }

    /** A reasoner on {@code policy}'s weights, stepping on the machine's shared threads. */
    public static AsyncReasoner of(Policy policy, AsyncReasoningPrompts prompts) {
        return new AsyncReasoner(new BlockDecoder(policy.decodeWeights(),
                new PanelMatmul(ParallelRange.shared())), ReasoningText.of(policy, prompts));
    }

    /** The model's prompts and tokenizer; absent for a reasoner made from ids only. */
    public ReasoningText text() {
        if (text == null) {
            throw new IllegalStateException("this reasoner has no text side: open runs from"
                    + " ReasoningIds");
        }
        return text;
    }

    /** Prefills both streams' prompts and returns the run, ready to step. */
    public ReasoningSession open(List<Message> conversation, ReasoningSettings settings,
            ReasoningListener listener) {
        return open(text().ids(conversation), settings, listener);
    }

    /** As {@link #open(List, ReasoningSettings, ReasoningListener)}, from ids made elsewhere. */
    public ReasoningSession open(ReasoningIds ids, ReasoningSettings settings,
            ReasoningListener listener) {
        return new ReasoningSession(decoder, ids, settings, listener);
    }

    /**
     * Runs until the answer ends.
     *
     * @throws GenerationCancelledException when {@code listener} cancelled the run
     */
    public ReasoningResult run(List<Message> conversation, ReasoningSettings settings,
            ReasoningListener listener) {
        return run(open(conversation, settings, listener), listener);
    }

    /** Steps {@code session} until its answer ends. */
    public ReasoningResult run(ReasoningSession session, ReasoningListener listener) {
        while (true) {
            if (listener.cancelled()) {
                ReasoningResult sofar = session.result();
                throw new GenerationCancelledException(sofar.thoughtIds().length
                        + sofar.answerIds().length);
            }
            List<BlockDecoder.Row> rows = session.nextRows();
            if (rows.isEmpty()) {
                return session.result();
            }
            session.accept(decoder.step(rows), 0);
        }
    }
}
