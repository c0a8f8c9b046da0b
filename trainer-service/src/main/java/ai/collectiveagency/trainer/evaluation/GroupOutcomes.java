package ai.collectiveagency.trainer.evaluation;

import ai.collectiveagency.schemas.ScoredGroup;
import ai.collectiveagency.schemas.TaskMode;
import ai.collectiveagency.schemas.Trajectory;
import ai.collectiveagency.schemas.TrajectoryScore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures the negotiation paper tracks per training step, over the step's scored groups:
 * how many groups carry no gradient, how often the dialogues fail to agree, how long they run,
 * and how the worst trajectory of a group fares. A reward here is a scorable trajectory's
 * reward, as in {@code reward_mean}.
 *
 * <ul>
 *   <li>{@code zero_advantage_share}: the share of the groups whose rewards are all equal,
 *       fewer than two rewards included. GRPO's group baseline gives every trajectory of such a
 *       group advantage 0 ({@code GroupAdvantages}), so the group carries no gradient (under {@code trainer.baseline=role} advantages are taken against
 *       running baselines instead; the figure still counts the groups of equal rewards);</li>
 *   <li>{@code no_agreement_rate}: the share of the NEGOTIATION trajectories (scorable or not)
 *       that ended without agreement;</li>
 *   <li>{@code rounds_mean}: the mean of those trajectories' {@code rounds}, the persona turns
 *       played (A's and B's together);</li>
 *   <li>{@code reward_group_min}: the mean over the groups of each group's lowest reward.</li>
 * </ul>
 *
 * A figure without anything to measure is left out rather than published as NaN: the two
 * negotiation figures when no group of the step is a NEGOTIATION task (a single-agent run),
 * {@code reward_group_min} when no trajectory has a reward, all four when there is no group.
 */
public final class GroupOutcomes {

    private GroupOutcomes() {
    }

    /** The figures of {@code groups}, keyed by their metric names. */
    public static Map<String, Double> of(List<ScoredGroup> groups) {
        Map<String, Double> figures = new LinkedHashMap<>();
        if (groups.isEmpty()) {
            return figures;
        }
        int withoutSignal = 0;
        int withReward = 0;
        double minimums = 0;
        int negotiations = 0;
        int notAgreed = 0;
        long rounds = 0;
        for (ScoredGroup group : groups) {
            double[] rewards = rewards(group);
            if (allEqual(rewards)) {
                withoutSignal++;
            }
            if (rewards.length > 0) {
                withReward++;
                minimums += min(rewards);
            }
            if (group.getGroup().getTask().getMode() == TaskMode.NEGOTIATION) {
                for (Trajectory trajectory : group.getGroup().getTrajectories()) {
                    negotiations++;
                    notAgreed += trajectory.getAgreementReached() ? 0 : 1;
                    rounds += trajectory.getRounds();
                }
            }
        }
        figures.put("zero_advantage_share", withoutSignal / (double) groups.size());
        if (negotiations > 0) {
            figures.put("no_agreement_rate", notAgreed / (double) negotiations);
            figures.put("rounds_mean", rounds / (double) negotiations);
        }
        if (withReward > 0) {
            figures.put("reward_group_min", minimums / withReward);
        }
        return figures;
    }

    private static double[] rewards(ScoredGroup group) {
        return group.getScores().stream()
                .filter(s -> !s.getUnscorable() && s.getReward() != null)
                .map(TrajectoryScore::getReward).mapToDouble(Double::doubleValue).toArray();
    }

    /** True for fewer than two rewards too: such a group has nothing to compare. */
    private static boolean allEqual(double[] rewards) {
        for (double reward : rewards) {
            if (reward != rewards[0]) {
                return false;
            }
        }
        return true;
    }

    private static double min(double[] rewards) {
        double min = Double.POSITIVE_INFINITY;
        for (double reward : rewards) {
            min = Math.min(min, reward);
        }
        return min;
    }
}
