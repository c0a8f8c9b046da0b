package ai.collectiveagency.rollout.api;

import java.util.List;

/**
 * What one streamed chunk adds to a choice: text with the tokens whose text it releases, or the
 * end of the choice. Over a choice's deltas the texts add up to its text and the token ids to
 * all its generated ids (those after a stop string and an end-of-sequence id come with the end).
 * With asynchronous reasoning a choice has two texts, the answer and the reasoning: each delta
 * adds to one of them ({@code reasoning}), and each text's deltas add up to it.
 *
 * @param text the new text ("" at the end)
 * @param pieces the tokens released with it, for log-probs (empty at the end)
 * @param tokenIds the ids released with it
 * @param finishReason {@code stop} or {@code length} at the end of the choice, else null
 * @param reasoning whether the text is the thinker's ({@code reasoning_content}), not the answer
 */
record Delta(String text, List<TokenPiece> pieces, int[] tokenIds, String finishReason,
        boolean reasoning) {

    static Delta tokens(String text, List<TokenPiece> pieces, int[] tokenIds) {
        return new Delta(text, List.copyOf(pieces), tokenIds, null, false);
    }

    static Delta end(String finishReason, int[] tokenIds) {
        return new Delta("", List.of(), tokenIds, finishReason, false);
    }

    /** The same text as the reasoning's. */
    Delta asReasoning() {
        return new Delta(text, pieces, tokenIds, finishReason, true);
    }

    boolean ends() {
        return finishReason != null;
    }
}
