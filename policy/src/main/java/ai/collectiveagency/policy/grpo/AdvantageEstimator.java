package ai.collectiveagency.policy.grpo;

/**
 * Turns the rewards of a batch of completions into per-completion advantages.
 *
 * <p>Rewards and advantages are plain Java arrays of length {@code B = numGroups * groupSize};
 * the completions of one prompt are contiguous ({@code [g * groupSize, (g + 1) * groupSize)}).
 */
public interface AdvantageEstimator {

    /**
     * @param rewards {@code [B]}; NaN marks a completion that could not be scored
     * @param groupSize completions per prompt, {@code G}; must divide {@code B}
     * @return {@code [B]} advantages, finite everywhere (0 where the reward is NaN)
     */
    double[] estimate(double[] rewards, int groupSize);
}
