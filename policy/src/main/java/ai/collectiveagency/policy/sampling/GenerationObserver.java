package ai.collectiveagency.policy.sampling;

/**
 * Watches a {@link Generator} call as it runs: sees each token the moment it is sampled (to
 * stream it) and may stop the whole batch between two steps (a client that went away, a
 * deadline). Called on the generating thread; both methods must be cheap.
 *
 * <pre>{@code
 * GenerationObserver observer = new GenerationObserver() {
 *     public boolean cancelled() { return clientGone.get(); }
 *     public void token(int sequence, int tokenId, float logprob, FinishReason finish) {
 *         send(sequence, tokenId);
 *     }
 * };
 * policy.generate(prompts, params, seeds, stops, observer); // GenerationCancelledException
 * }</pre>
 */
public interface GenerationObserver {

    /** Sees nothing and never stops a batch: the rollout path pays no per-token call. */
    GenerationObserver NONE = new GenerationObserver() {
    };

    /**
     * Asked before every forward pass (the prefill and each decode step); {@code true} ends the
     * call with {@link GenerationCancelledException}, at most one step after it first is.
     */
    default boolean cancelled() {
        return false;
    }

    /**
     * A token was sampled.
     *
     * @param sequence the sequence's index in the call's prompt list
     * @param tokenId the token
     * @param logprob its log-probability under the sampling distribution
     * @param finish why the sequence ends with this token, or null when it goes on
     */
    default void token(int sequence, int tokenId, float logprob, FinishReason finish) {
    }
}
