package ai.collectiveagency.rollout.api;

import ai.collectiveagency.policy.Policy;
import ai.collectiveagency.policy.sampling.FinishReason;
import ai.collectiveagency.policy.sampling.Generation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One choice of a response, made on the worker from a {@link Generation}: the text cut before
 * the first stop string (OpenAI leaves the stop string out), the finish reason and, when asked
 * for, each token's text, offset and log-probability. Tokens that end a sequence (an
 * end-of-sequence id or one of the request's {@code stop_token_ids}) are counted but not listed;
 * tokens past a stop string's start are left out of {@link #pieces()}; unless the job lists
 * every token ({@link GenerationJob#everyToken()}), when the pieces are the token ids one for
 * one.
 *
 * @param promptIndex which prompt of the request it continues
 * @param promptIds the prompt's token ids
 * @param tokenIds every generated id (an end-of-sequence id included)
 * @param text the completion's text
 * @param finishReason {@code stop} or {@code length}
 * @param pieces the listed tokens (empty when not asked for)
 * @param thoughts with asynchronous reasoning, the thinker's tokens and text; else null
 */
public record SampledChoice(int promptIndex, int[] promptIds, int[] tokenIds, String text,
        String finishReason, List<TokenPiece> pieces, Thoughts thoughts) {

    /** The private stream of asynchronous reasoning: its tokens and their text. */
    public record Thoughts(int[] tokenIds, String text) {
    }

    /** Builds a choice; must run on the policy worker (it decodes). */
    static SampledChoice of(Policy policy, int promptIndex, int[] promptIds, Generation generation,
            GenerationJob job, boolean listPieces) {
        int[] ids = generation.tokenIds();
        String full = policy.decode(ids);
        int cut = firstStop(full, job.stops());
        String text = cut < 0 ? full : full.substring(0, cut);
        String finish = finishReason(cut >= 0, generation.finishReason());
        List<TokenPiece> pieces = listPieces
                ? pieces(policy, generation, text.length(), cut >= 0, job) : List.of();
        if (job.topLogprobs() > 0) {
            pieces = withTop(pieces, TopLogprobs.of(policy, promptIds, ids, pieces.size(),
                    job.temperature() == 0 ? 1 : job.temperature(), job.topLogprobs()));
        }
        return new SampledChoice(promptIndex, promptIds, ids, text, finish, pieces, null);
    }

    /** The text each listed token adds, so that the stream's deltas add up to the text. */
    public String delta(int piece) {
        int start = Math.min(pieces.get(piece).offset(), text.length());
        int end = piece + 1 < pieces.size()
                ? Math.min(pieces.get(piece + 1).offset(), text.length()) : text.length();
        return text.substring(start, Math.max(start, end));
    }

    private static List<TokenPiece> pieces(Policy policy, Generation generation, int textLength,
            boolean cut, GenerationJob job) {
        int[] ids = generation.tokenIds();
        List<TokenPiece> pieces = new ArrayList<>(ids.length);
        String before = "";
        for (int i = 0; i < ids.length; i++) {
            boolean ends = policy.endOfSequence().contains(ids[i])
                    || job.stopTokenIds().contains(ids[i]);
            if (ends && !job.everyToken()) {
                break;
            }
            if (job.everyToken()) {
                // Token ids are what the client reads (vLLM's return_tokens_as_token_ids): no
                // prefix decoding, a JNI call per token on the policy worker, for text nobody
                // reads; the tokens carry no text or offset.
                pieces.add(new TokenPiece(ids[i], "", generation.logprobs()[i], 0, List.of()));
                continue;
            }
            // Decoding the prefix, not the token alone: a token's text can depend on its
            // neighbours (leading spaces, bytes of one character split over two tokens).
            String now = policy.decode(Arrays.copyOf(ids, i + 1));
            int offset = commonPrefix(before, now);
            if (cut && offset >= textLength && !job.everyToken()) {
                break;
            }
            // Past a stop string (listed only for every-token log-probs): at the text's end.
            pieces.add(new TokenPiece(ids[i], now.substring(Math.min(offset, now.length())),
                    generation.logprobs()[i], Math.min(offset, textLength), List.of()));
            before = now;
        }
        return pieces;
    }

    private static List<TokenPiece> withTop(List<TokenPiece> pieces,
            List<List<TopLogprobs.Alternative>> top) {
        List<TokenPiece> out = new ArrayList<>(pieces.size());
        for (int i = 0; i < pieces.size(); i++) {
            TokenPiece p = pieces.get(i);
            out.add(new TokenPiece(p.tokenId(), p.token(), p.logprob(), p.offset(), top.get(i)));
        }
        return out;
    }

    /**
     * OpenAI's finish reason: {@code stop} for a stop string ({@code cut}), an end-of-sequence
     * token or a stop condition, else {@code length}.
     */
    static String finishReason(boolean cut, FinishReason reason) {
        return cut || reason == FinishReason.STOP ? "stop" : "length";
    }

    /** Length of the longest common prefix: where a re-decoded text starts to differ. */
    static int commonPrefix(String a, String b) {
        int n = Math.min(a.length(), b.length());
        int i = 0;
        while (i < n && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return i;
    }

    /** Where the first of {@code stops} begins in {@code text}, or -1. */
    static int firstStop(String text, List<String> stops) {
        int first = -1;
        for (String stop : stops) {
            int at = text.indexOf(stop);
            if (at >= 0 && (first < 0 || at < first)) {
                first = at;
            }
        }
        return first;
    }
}
