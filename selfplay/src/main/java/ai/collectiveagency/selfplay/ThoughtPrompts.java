package ai.collectiveagency.selfplay;

import ai.collectiveagency.policy.Policy;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The token ids of asynchronous reasoning's two prompts: the listener's thinker
 * ({@link Perspective#thinking}), and the speaker's own view with its latest thoughts recalled.
 *
 * <p>The thoughts go into the speaker's opened assistant turn, between the two halves of the
 * {@code recalled-thoughts} prompt (shipped: {@code <think>\n{thoughts}\n</think>\n\n}, the form
 * reasoning models answer after), so the reply continues the turn that holds them. They go in as
 * the ids the thinker sampled, not as re-encoded text, which a byte-level tokenizer may split
 * otherwise, and without the end-of-sequence id that closed them, which would close the turn.
 */
final class ThoughtPrompts {

    private final Policy policy;
    private final Perspective perspective;
    private final PromptTemplate before;
    private final PromptTemplate after;

    ThoughtPrompts(Policy policy, PromptTemplates templates, Perspective perspective) {
        this.policy = policy;
        this.perspective = perspective;
        String recalled = templates.recalledThoughts().text();
        int at = recalled.indexOf(PromptTemplates.THOUGHTS);
        this.before = new PromptTemplate("recalled-thoughts", recalled.substring(0, at));
        this.after = new PromptTemplate("recalled-thoughts",
                recalled.substring(at + PromptTemplates.THOUGHTS.length()));
    }

    /** The prompt of the thinker of {@code dialogue}'s listener. */
    int[] thinker(Dialogue dialogue) {
        return policy.encodeChat(perspective.thinking(dialogue));
    }

    /** The prompt of {@code dialogue}'s next speaker, its {@code thoughts} recalled if any. */
    int[] speaker(Dialogue dialogue, Optional<Thoughts> thoughts) {
        int[] view = policy.encodeChat(perspective.messages(dialogue));
        if (thoughts.isEmpty()) {
            return view;
        }
        Map<String, String> values = TaskText.of(dialogue.task(), dialogue.nextSpeaker());
        return concat(view, policy.encodeWithoutSpecialTokens(before.fill(values)),
                withoutEnd(thoughts.get().tokenIds(), policy.endOfSequence()),
                policy.encodeWithoutSpecialTokens(after.fill(values)));
    }

    private static int[] withoutEnd(int[] ids, Set<Integer> endOfSequence) {
        int length = ids.length;
        while (length > 0 && endOfSequence.contains(ids[length - 1])) {
            length--;
        }
        return Arrays.copyOf(ids, length);
    }

    private static int[] concat(int[]... parts) {
        int length = 0;
        for (int[] part : parts) {
            length += part.length;
        }
        int[] out = new int[length];
        int at = 0;
        for (int[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }
}
