package ai.collectiveagency.policy.training;

/**
 * What one optimiser step did, for logs and metrics.
 *
 * @param loss the GRPO loss summed over micro-batches (each already normalised for the batch)
 * @param gradNorm global gradient norm before clipping
 * @param skipped true when the norm was not finite and no update was made
 * @param learningRate the rate the update used (0 when skipped)
 * @param meanKl token-mean k3 KL to the reference (NaN when beta is 0 and no reference is scored)
 * @param clipFraction share of tokens whose ratio was clipped
 * @param entropy token-mean entropy of the policy's predictive distribution
 * @param tokens tokens the loss saw
 */
public record StepResult(double loss, double gradNorm, boolean skipped, double learningRate,
        double meanKl, double clipFraction, double entropy, long tokens) {}
