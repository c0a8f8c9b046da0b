package ai.collectiveagency.policy.sampling;

/**
 * One generated continuation.
 *
 * @param tokenIds the generated token ids (an end-of-sequence token that stopped it included)
 * @param logprobs for each token, its log-probability under the sampling distribution
 *     {@code log_softmax(logits / temperature)} (temperature 1 when greedy); same length as
 *     {@code tokenIds}
 * @param finishReason why it stopped
 */
public record Generation(int[] tokenIds, float[] logprobs, FinishReason finishReason) {

    public Generation {
        if (tokenIds.length != logprobs.length) {
            throw new IllegalArgumentException("token ids (" + tokenIds.length
                    + ") and log-probs (" + logprobs.length + ") differ in length");
        }
    }
}
