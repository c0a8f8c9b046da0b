package ai.collectiveagency.policy.reasoning;

import ai.collectiveagency.policy.decode.blocks.BlockDecoder;
import ai.collectiveagency.policy.decode.blocks.BlockView;
import ai.collectiveagency.policy.decode.blocks.KvBlock;

import java.util.ArrayList;
import java.util.List;

/**
 * The blocks of one asynchronous-reasoning run and the two views over them:
 *
 * <pre>
 *   thinker:  [thinker prompt, answer, thinker split, thoughts 1, heard 1, thoughts 2, ...]
 *   writer:   [writer prompt, thoughts 1, heard 1, thoughts 2, ..., writer split, answer]
 * </pre>
 *
 * Text that arrives while the streams run becomes a heard block after the current thoughts, and
 * the thinker goes on in a new thoughts block after it, so the heard text sits at the point of
 * the thoughts where it arrived, in both views.
 */
final class ReasoningBlocks {

    final KvBlock thinkerPrompt;
    final KvBlock writerPrompt;
    final KvBlock thinkerSplit;
    final KvBlock writerSplit;
    final KvBlock answer;
    private final BlockDecoder decoder;
    private final List<KvBlock> thoughts = new ArrayList<>(); // thought segments and heard text
    private KvBlock currentThoughts;

    ReasoningBlocks(BlockDecoder decoder) {
        this.decoder = decoder;
        thinkerPrompt = decoder.newBlock("thinker prompt");
        writerPrompt = decoder.newBlock("writer prompt");
        thinkerSplit = decoder.newBlock("thinker split");
        writerSplit = decoder.newBlock("writer split");
        answer = decoder.newBlock("answer");
        currentThoughts = decoder.newBlock("thoughts 1");
        thoughts.add(currentThoughts);
    }

    /** The block the thinker appends to. */
    KvBlock thoughts() {
        return currentThoughts;
    }

    BlockView thinkerView() {
        List<KvBlock> view = new ArrayList<>(List.of(thinkerPrompt, answer, thinkerSplit));
        view.addAll(thoughts);
        return new BlockView(view);
    }

    BlockView writerView() {
        List<KvBlock> view = new ArrayList<>();
        view.add(writerPrompt);
        view.addAll(thoughts);
        view.add(writerSplit);
        view.add(answer);
        return new BlockView(view);
    }

    /** The thinker's view with {@code question} after the thoughts: the check's own view. */
    BlockView thinkerViewAsking(KvBlock question) {
        List<KvBlock> view = new ArrayList<>(thinkerView().blocks());
        view.add(question);
        return new BlockView(view);
    }

    /**
     * Places a new heard block after the current thoughts and opens the next thoughts block
     * after it; returns the heard block, still empty, for the caller to prefill.
     */
    KvBlock hear() {
        KvBlock heard = decoder.newBlock("heard " + (thoughts.size() + 1) / 2);
        thoughts.add(heard);
        currentThoughts = decoder.newBlock("thoughts " + (thoughts.size() + 2) / 2);
        thoughts.add(currentThoughts);
        return heard;
    }
}
