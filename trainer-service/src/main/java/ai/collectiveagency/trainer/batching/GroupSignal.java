package ai.collectiveagency.trainer.batching;

import ai.collectiveagency.schemas.ScoredGroup;
import ai.collectiveagency.schemas.TrajectoryScore;

/**
 * Whether a scored group can teach the policy anything under GRPO's group baseline: only when
 * at least two of its trajectories have rewards and they differ. Otherwise every trajectory's
 * advantage is 0 ({@code GroupAdvantages}) and the group adds no gradient, only tokens to the
 * step's denominator. DAPO's dynamic sampling keeps such groups out of the steps
 * ({@code trainer.dynamic-sampling}).
 */
public final class GroupSignal {

    private GroupSignal() {
    }

    /**
     * The rewards of the group's scorable trajectories, in order; a NaN reward counts as
     * unscorable, as in the advantages.
     */
    public static double[] rewards(ScoredGroup group) {
        return group.getScores().stream().mapToDouble(GroupSignal::reward)
                .filter(r -> !Double.isNaN(r)).toArray();
    }

    /** A trajectory's reward, or NaN where it is unscorable or has none, as advantages read it. */
    public static double reward(TrajectoryScore score) {
        return score.getUnscorable() || score.getReward() == null ? Double.NaN
                : score.getReward();
    }

    /** True when fewer than two trajectories have rewards or all their rewards are equal. */
    public static boolean none(ScoredGroup group) {
        double[] rewards = rewards(group);
        for (double reward : rewards) {
            if (reward != rewards[0]) {
                return false;
            }
        }
        return true;
    }
}
