package ai.collectiveagency.trainer.evaluation;

import ai.collectiveagency.schemas.ScoredGroup;
import ai.collectiveagency.schemas.TaskMode;
import ai.collectiveagency.schemas.Trajectory;
import ai.collectiveagency.trainer.batching.GroupSignal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures the negotiation paper tracks per training step, over the groups read for the
 * step (those it trained on, and those {@code trainer.dynamic-sampling} settled without
 * training since the step before): how many groups carry no gradient, how often the dialogues
 * fail to agree, how long they run, and how the worst trajectory of a group fares. A reward here is a scorable trajectory's
 * reward, as in {@code reward_mean}.
 *
 * <ul>
 *   <li>{@code zero_advantage_share}: the share of the groups whose rewards are all equal,
 *       fewer than two rewards included ({@code GroupSignal}). GRPO's group baseline gives every
 *       trajectory of such a group advantage 0 ({@code GroupAdvantages}), so the group carries
 *       no gradient (under {@code trainer.baseline=role} advantages are taken against running
 *       baselines instead; the figure still counts the groups of equal rewards);</li>
 *   <li>{@code no_agreement_rate}: the share of the NEGOTIATION trajectories (scorable or not)
 *       that ended without agreement;</li>
 *   <li>{@code rounds_mean}: the mean of those trajectories' {@code rounds}, the persona turns
 *       played (A's and B's together);</li>
 *   <li>{@code reward_group_min}: the mean over the groups of each group's lowest reward.</li>
 * </ul>
 *
 * Besides, {@code reward_mean} and {@code reward_std} (unbiased) over every scorable reward, as
 * {@link Moments}; they are always there (the mean NaN without any reward). Any other figure
 * without anything to measure is left out rather than published as NaN: the two negotiation
 * figures when no group of the step is a NEGOTIATION task (a single-agent run),
 * {@code reward_group_min} when no trajectory has a reward, all of them when there is no group.
 *
 * <p>Immutable and built a group at a time ({@link #plus}), so that the groups settled without
 * training between two steps are counted without being kept.
 *
 * @param rewardMean the running mean of the rewards (Welford's update)
 * @param rewardSquares the running sum of squared deviations from it
 */
public record GroupOutcomes(int groups, int withoutSignal, int withReward, double minimums,
        int negotiations, int notAgreed, long rounds, long rewards, double rewardMean,
        double rewardSquares) {

    public static final GroupOutcomes NONE = new GroupOutcomes(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** These outcomes and {@code group}'s. */
    public GroupOutcomes plus(ScoredGroup group) {
        double[] scored = GroupSignal.rewards(group);
        long count = rewards;
        double mean = rewardMean;
        double squares = rewardSquares;
        for (double reward : scored) {
            count++;
            double before = reward - mean;
            mean += before / count;
            squares += before * (reward - mean);
        }
        int played = 0;
        int failed = 0;
        long turns = 0;
        if (group.getGroup().getTask().getMode() == TaskMode.NEGOTIATION) {
            for (Trajectory trajectory : group.getGroup().getTrajectories()) {
                played++;
                failed += trajectory.getAgreementReached() ? 0 : 1;
                turns += trajectory.getRounds();
            }
        }
        return new GroupOutcomes(groups + 1, withoutSignal + (GroupSignal.none(group) ? 1 : 0),
                withReward + (scored.length > 0 ? 1 : 0),
                minimums + (scored.length > 0 ? min(scored) : 0), negotiations + played,
                notAgreed + failed, rounds + turns, count, mean, squares);
    }

    /** The figures, keyed by their metric names; none without a group. */
    public Map<String, Double> figures() {
        Map<String, Double> figures = new LinkedHashMap<>();
        if (groups == 0) {
            return figures;
        }
        figures.put("reward_mean", rewards == 0 ? Double.NaN : rewardMean);
        figures.put("reward_std", rewards < 2 ? 0 : Math.sqrt(rewardSquares / (rewards - 1)));
        figures.put("zero_advantage_share", withoutSignal / (double) groups);
        if (negotiations > 0) {
            figures.put("no_agreement_rate", notAgreed / (double) negotiations);
            figures.put("rounds_mean", rounds / (double) negotiations);
        }
        if (withReward > 0) {
            figures.put("reward_group_min", minimums / withReward);
        }
        return figures;
    }

    private static double min(double[] rewards) {
        double min = Double.POSITIVE_INFINITY;
        for (double reward : rewards) {
            min = Math.min(min, reward);
        }
        return min;
    }
}
