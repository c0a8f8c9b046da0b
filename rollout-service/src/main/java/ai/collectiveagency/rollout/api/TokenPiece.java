package ai.collectiveagency.rollout.api;

/**
 * One generated token as the API reports it.
 *
 * @param tokenId the id
 * @param token its text (what decoding it adds to the text before it)
 * @param logprob its log-probability under the sampling distribution,
 *     log_softmax(logits / temperature) (temperature 1 when greedy)
 * @param offset where its text starts in the choice's text
 */
public record TokenPiece(int tokenId, String token, float logprob, int offset) {
}
