package ai.collectiveagency.policy.grpo;

import java.util.Objects;

/**
 * Group-relative advantages of GRPO (Shao et al. 2024, DeepSeekMath), as TRL computes them:
 * {@code A_i = (r_i - mean(r)) / (std(r) + 1e-4)} over each prompt's group, with the unbiased
 * (Bessel-corrected) std; with {@link RewardScaling#NONE} simply {@code r_i - mean(r)}.
 *
 * <p>Unscorable completions (NaN reward) get advantage 0 and are left out of their group's mean
 * and std, so one failed judge call does not shift its siblings' baseline. A group with fewer than
 * two valid rewards carries no relative signal and gets all-zero advantages.
 */
public final class GroupAdvantages implements AdvantageEstimator {

    /** Added to the std so that a group of equal rewards gives 0 instead of 0 / 0. */
    public static final double STD_EPSILON = 1e-4;

    private final RewardScaling scaling;

    public GroupAdvantages(RewardScaling scaling) {
        this.scaling = Objects.requireNonNull(scaling, "scaling must not be null");
    }

    @Override
    public double[] estimate(double[] rewards, int groupSize) {
        Objects.requireNonNull(rewards, "rewards must not be null");
        if (groupSize < 1 || rewards.length % groupSize != 0) {
            throw new IllegalArgumentException("groupSize must be >= 1 and divide the "
                    + rewards.length + " rewards, got " + groupSize);
        }
        for (double reward : rewards) {
            if (Double.isInfinite(reward)) {
                // NaN means "unscored"; an infinite reward is a bug in the reward function.
                throw new IllegalArgumentException("rewards must be finite or NaN, got " + reward);
            }
        }
        double[] advantages = new double[rewards.length];
        for (int start = 0; start < rewards.length; start += groupSize) {
            fillGroup(rewards, start, start + groupSize, advantages);
        }
        return advantages;
    }

    private void fillGroup(double[] rewards, int from, int to, double[] advantages) {
        int valid = 0;
        double sum = 0;
        for (int i = from; i < to; i++) {
            if (!Double.isNaN(rewards[i])) {
                valid++;
                sum += rewards[i];
            }
        }
        if (valid < 2) {
            return; // already zeros
        }
        double mean = sum / valid;
        double squares = 0;
        for (int i = from; i < to; i++) {
            if (!Double.isNaN(rewards[i])) {
                squares += (rewards[i] - mean) * (rewards[i] - mean);
            }
        }
        double scale = scaling == RewardScaling.GROUP
                ? Math.sqrt(squares / (valid - 1)) + STD_EPSILON
                : 1.0;
        for (int i = from; i < to; i++) {
            advantages[i] = Double.isNaN(rewards[i]) ? 0.0 : (rewards[i] - mean) / scale;
        }
    }
}
