package ai.collectiveagency.rollout.api;

import java.util.List;

/**
 * One generated token as the API reports it.
 *
 * @param tokenId the id
 * @param token its text (what decoding it adds to the text before it)
 * @param logprob its log-probability under the sampling distribution,
 *     log_softmax(logits / temperature) (temperature 1 when greedy)
 * @param offset where its text starts in the choice's text
 * @param top the likeliest tokens at its position, likeliest first (empty unless asked for)
 */
public record TokenPiece(int tokenId, String token, float logprob, int offset,
        List<TopLogprobs.Alternative> top) {
}
