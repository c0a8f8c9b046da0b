package ai.collectiveagency.rollout.api;

import ai.collectiveagency.policy.Policy;
import ai.collectiveagency.policy.decode.PanelMatmul;
import ai.collectiveagency.policy.decode.ParallelRange;
import ai.collectiveagency.policy.decode.blocks.BlockDecoder;
import ai.collectiveagency.policy.reasoning.AsyncReasoner;
import ai.collectiveagency.policy.reasoning.AsyncReasoningPrompts;
import ai.collectiveagency.policy.reasoning.ReasoningIds;
import ai.collectiveagency.policy.reasoning.ReasoningListener;
import ai.collectiveagency.policy.reasoning.ReasoningResult;
import ai.collectiveagency.policy.reasoning.ReasoningSettings;
import ai.collectiveagency.policy.reasoning.ReasoningText;
import ai.collectiveagency.policy.sampling.FinishReason;
import ai.collectiveagency.policy.sampling.GenerationCancelledException;
import ai.collectiveagency.policy.sampling.GenerationObserver;
import ai.collectiveagency.rollout.serving.ServedPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;

/**
 * Runs a {@link ReasoningJob} on the policy worker: the served policy's thinker and writer
 * decode together ({@link AsyncReasoner}), the writer's tokens becoming the answer and the
 * thinker's the reasoning. A live stream gets both as they are sampled, each text decoded
 * incrementally by its own {@link StreamedChoice}, so the writer's first words go out while the
 * thinker still thinks. The run uses the policy version the worker hands it, with the request's
 * adapter already set, and stops between two steps once {@code control} says so.
 *
 * <p>The prompts are {@code rollout.api.reasoning.prompts}'s (checked at start-up), else the
 * shipped ones. Their ids for the served model ({@link ReasoningText}, which reads the whole
 * vocabulary once) are made on the first request and kept until another policy is served.
 * Only the worker thread may call {@link #run}.
 */
@ApplicationScoped
public class AsyncReasoning {

    private final ApiConfig config;
    private AsyncReasoningPrompts prompts; // the fields: on the worker thread only
    private Policy textOf;
    private ReasoningText text;

    AsyncReasoning(ApiConfig config) {
        this.config = config;
    }

    /**
     * The run's answer: one choice, with the thinker's tokens as its {@code thoughts}.
     *
     * @throws ApiException 400 for a model without a tokenizer, or prompts and budgets that do
     *     not fit the model's context
     * @throws GenerationCancelledException once {@code control} cancelled it
     */
    Sampled run(ServedPolicy served, ReasoningJob job, GenerationObserver control,
            StreamListener listener) {
        if (control.cancelled()) {
            throw new GenerationCancelledException(0);
        }
        Policy policy = served.policy();
        if (!policy.hasTokenizer()) {
            throw ApiException.invalid("reasoning", "asynchronous reasoning needs a model with a"
                    + " tokenizer and chat template: its prompts are text. The served model has"
                    + " no tokenizer.");
        }
        ReasoningText text = text(policy);
        ReasoningIds ids = text.ids(job.messages());
        int context = policy.model().config().maxPositions();
        long fixed = ids.positionsNeeded(0, 0);
        long writerTokens = job.maxTokens() != null ? job.maxTokens()
                : Math.min(config.defaultMaxTokens(), context - fixed - job.thinkerTokens());
        if (fixed + job.thinkerTokens() + Math.max(writerTokens, 1) > context) {
            throw ApiException.reasoningContextLength(fixed, job.thinkerTokens(),
                    Math.max(writerTokens, 1), context, job.maxParam());
        }
        ReasoningSettings settings = new ReasoningSettings(job.thinkerTokens(),
                (int) writerTokens, job.temperature(), job.topP(), job.seed(),
                ReasoningSettings.Checks.MODEL, Set.of(), Set.of());
        String modelName = job.adapter() != null ? job.adapter() : served.modelName();
        Streams streams = new Streams(policy, control, listener);
        if (listener != null) {
            listener.admitted(new Admission(served.version(), modelName,
                    List.of(ids.writerPrompt())));
        }
        AsyncReasoner reasoner = new AsyncReasoner(new BlockDecoder(policy.decodeWeights(),
                new PanelMatmul(ParallelRange.shared())), text);
        ReasoningResult result = reasoner.run(reasoner.open(ids, settings, streams), streams);
        FinishReason finish = result.answerStopped() ? FinishReason.STOP : FinishReason.LENGTH;
        streams.end(finish);
        SampledChoice choice = new SampledChoice(0, ids.writerPrompt(), result.answerIds(),
                policy.decode(result.answerIds()), SampledChoice.finishReason(false, finish),
                List.of(), new SampledChoice.Thoughts(result.thoughtIds(),
                        policy.decode(result.thoughtIds())));
        return new Sampled(served.version(), modelName,
                ids.thinkerPrompt().length + ids.writerPrompt().length, List.of(choice));
    }

    /** The served model's prompt ids: made again only when another policy is served. */
    private ReasoningText text(Policy policy) {
        if (policy != textOf) {
            if (prompts == null) {
                prompts = AsyncReasoningPrompts.load(config.reasoning().prompts().orElse(null));
            }
            try {
                text = ReasoningText.of(policy, prompts);
            } catch (IllegalArgumentException e) { // the prompts do not suit this model
                throw new IllegalStateException("the async-reasoning prompts ("
                        + config.reasoning().prompts().map(p -> "rollout.api.reasoning.prompts="
                                + p.toAbsolutePath()).orElse("the shipped ones")
                        + ") do not suit the served model: " + e.getMessage(), e);
            }
            textOf = policy;
        }
        return text;
    }

    /**
     * Both streams of one run as a live stream's deltas: the thinker's as
     * {@code reasoning_content}, the writer's as the answer, in the order they are sampled.
     * Without a listener it only passes cancellation on.
     */
    private static final class Streams implements ReasoningListener {

        private final GenerationObserver control;
        private final StreamListener listener;
        private final StreamedChoice thoughts;
        private final StreamedChoice answer;

        Streams(Policy policy, GenerationObserver control, StreamListener listener) {
            this.control = control;
            this.listener = listener;
            this.thoughts = new StreamedChoice(policy, List.of());
            this.answer = new StreamedChoice(policy, List.of());
        }

        @Override
        public void thought(int id, float logprob) {
            if (listener != null) {
                thoughts.add(id, logprob, null)
                        .forEach(delta -> listener.released(0, delta.asReasoning()));
            }
        }

        @Override
        public void wrote(int id, float logprob) {
            if (listener != null) {
                // the end is known once the run returns: an end-of-sequence id or the budget
                answer.add(id, logprob, null).forEach(delta -> listener.released(0, delta));
            }
        }

        @Override
        public boolean cancelled() {
            return control.cancelled();
        }

        /** What each text held back, then the answer's end. */
        void end(FinishReason finish) {
            if (listener != null) {
                thoughts.end(null).forEach(delta -> listener.released(0, delta.asReasoning()));
                answer.end(finish).forEach(delta -> listener.released(0, delta));
            }
        }
    }
}
