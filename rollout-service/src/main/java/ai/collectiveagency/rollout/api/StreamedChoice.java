package ai.collectiveagency.rollout.api;

import ai.collectiveagency.policy.Policy;
import ai.collectiveagency.policy.sampling.FinishReason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One choice of a live stream, fed a token at a time on the policy worker: decides which text
 * may be sent now. The text is the decoded tokens, cut before the first stop string, as in the
 * answer without {@code stream}. Held back until a later token settles it (as vLLM does): an
 * end that could be the start of a stop string (it may yet be cut) and a trailing replacement
 * character (the first bytes of a character split over tokens). So a stream never shows text
 * the answer then removes, and its deltas add up to the text of the same request unstreamed.
 * Each token's piece (text, offset, log-prob) is made as {@link SampledChoice} makes it.
 */
final class StreamedChoice {

    private static final char INCOMPLETE = '\uFFFD';

    private final Policy policy;
    private final List<String> stops;
    private final List<TokenPiece> pieces = new ArrayList<>();
    private int[] ids = new int[16];
    private int count;
    private String decoded = "";
    private int textEnd = -1; // where a stop string cut the text, once one did
    private int sentChars;
    private int sentPieces;
    private boolean ended;

    StreamedChoice(Policy policy, List<String> stops) {
        this.policy = policy;
        this.stops = stops;
    }

    /**
     * Takes the next token; returns what may be sent now: nothing, new text, and at the end of
     * the choice ({@code finish} non-null) the end too.
     */
    List<Delta> add(int tokenId, float logprob, FinishReason finish) {
        if (ended) {
            return List.of();
        }
        if (count == ids.length) {
            ids = Arrays.copyOf(ids, count * 2);
        }
        ids[count++] = tokenId;
        if (!policy.endOfSequence().contains(tokenId) && textEnd < 0) {
            decode(tokenId, logprob);
        }
        boolean last = finish != null || textEnd >= 0;
        return release(last, finish, last);
    }

    /**
     * Ends the choice after its last token, for a caller that learns of the end only then: what
     * was held back, then the end, unless {@code finish} is null (text without an end of its
     * own, such as the reasoning of asynchronous reasoning, then only ends its text).
     */
    List<Delta> end(FinishReason finish) {
        if (ended) {
            return List.of();
        }
        return release(true, finish, finish != null || textEnd >= 0);
    }

    /** What may be sent now: all of it when {@code last}; then the end when {@code withEnd}. */
    private List<Delta> release(boolean last, FinishReason finish, boolean withEnd) {
        String text = textEnd >= 0 ? decoded.substring(0, textEnd) : decoded;
        int releasable = last ? text.length()
                : Math.max(sentChars, decoded.length() - heldBack(decoded));
        List<Delta> out = new ArrayList<>(2);
        int firstPiece = sentPieces;
        while (sentPieces < pieces.size() && pieces.get(sentPieces).offset() < releasable) {
            sentPieces++;
        }
        if (releasable > sentChars || sentPieces > firstPiece) {
            out.add(Delta.tokens(slice(text, sentChars, releasable),
                    pieces.subList(firstPiece, sentPieces),
                    Arrays.copyOfRange(ids, firstPiece, sentPieces)));
            sentChars = Math.max(sentChars, releasable);
        }
        ended = last;
        if (withEnd) {
            out.add(Delta.end(SampledChoice.finishReason(textEnd >= 0, finish),
                    Arrays.copyOfRange(ids, sentPieces, count)));
        }
        return out;
    }

    /** Decodes the prefix (a token's text can depend on its neighbours) and makes its piece. */
    private void decode(int tokenId, float logprob) {
        String now = policy.decode(Arrays.copyOf(ids, count));
        int offset = SampledChoice.commonPrefix(decoded, now);
        int cut = SampledChoice.firstStop(now, stops);
        if (cut < 0 || offset < cut) {
            pieces.add(new TokenPiece(tokenId, now.substring(offset), logprob, offset, List.of()));
        }
        decoded = now;
        if (cut >= 0) {
            textEnd = cut;
        }
    }

    /** How many trailing characters may still change: a split character, a stop's start. */
    private int heldBack(String text) {
        int split = 0;
        while (split < text.length() && text.charAt(text.length() - 1 - split) == INCOMPLETE) {
            split++;
        }
        int stop = 0;
        for (String s : stops) {
            for (int k = Math.min(s.length() - 1, text.length()); k > stop; k--) {
                if (text.regionMatches(text.length() - k, s, 0, k)) { // no copy per length
                    stop = k;
                    break;
                }
            }
        }
        return Math.max(split, stop);
    }

    /** {@code text[from, to)}, empty where a decode rewrote text already sent. */
    private static String slice(String text, int from, int to) {
        int end = Math.min(to, text.length());
        return from < end ? text.substring(from, end) : "";
    }
}
