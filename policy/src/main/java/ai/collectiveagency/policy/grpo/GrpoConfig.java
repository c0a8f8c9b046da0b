package ai.collectiveagency.policy.grpo;

import java.util.Objects;

/**
 * Hyper-parameters of the GRPO objective, named as in Hugging Face TRL's {@code GRPOConfig}.
 *
 * @param beta KL coefficient on the k3 estimator against the reference policy; 0 drops the
 *     reference model entirely ({@code beta}, TRL)
 * @param epsilonLow lower clip range: ratios below {@code 1 - epsilonLow} stop pushing down
 *     ({@code epsilon})
 * @param epsilonHigh upper clip range: ratios above {@code 1 + epsilonHigh} stop pushing up
 *     ({@code epsilon_high}, DAPO's "clip-higher")
 * @param aggregation how per-token losses are reduced to one number ({@code loss_type})
 * @param maxCompletionLength the generation budget in tokens; the constant denominator of
 *     {@link LossAggregation#DR_GRPO} ({@code max_completion_length})
 * @param scaleRewards whether advantages are divided by the group's std ({@code scale_rewards})
 */
public record GrpoConfig(
        double beta,
        double epsilonLow,
        double epsilonHigh,
        LossAggregation aggregation,
        int maxCompletionLength,
        RewardScaling scaleRewards) {

    public GrpoConfig {
        requireFiniteAtLeastZero("beta", beta);
        requireFiniteAtLeastZero("epsilonLow", epsilonLow);
        requireFiniteAtLeastZero("epsilonHigh", epsilonHigh);
        if (epsilonLow >= 1) {
            // 1 - epsilonLow must stay a positive ratio, or the lower clip never binds.
            throw new IllegalArgumentException("epsilonLow must be below 1, got " + epsilonLow);
        }
        Objects.requireNonNull(aggregation, "aggregation must not be null");
        Objects.requireNonNull(scaleRewards, "scaleRewards must not be null");
        if (maxCompletionLength < 1) {
            throw new IllegalArgumentException(
                    "maxCompletionLength must be at least 1, got " + maxCompletionLength);
        }
    }

    /**
     * The defaults of our negotiation experiments: no KL term (beta 0, as DAPO and Dr. GRPO
     * recommend, which also saves the reference forward pass), asymmetric clipping 0.2 / 0.28
     * (DAPO's clip-higher keeps exploration alive), token-level DAPO aggregation so long and short
     * negotiations weigh each token equally, and per-group std scaling.
     *
     * @param maxCompletionLength the generation budget in tokens
     */
    public static GrpoConfig negotiationDefaults(int maxCompletionLength) {
        return new GrpoConfig(0.0, 0.2, 0.28, LossAggregation.DAPO, maxCompletionLength,
                RewardScaling.GROUP);
    }

    private static void requireFiniteAtLeastZero(String field, double value) {
        if (!Double.isFinite(value) || value < 0) {
            throw new IllegalArgumentException(
                    field + " must be a finite number >= 0, got " + value);
        }
    }
}
