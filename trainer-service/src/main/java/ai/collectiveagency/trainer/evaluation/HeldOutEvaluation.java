package ai.collectiveagency.trainer.evaluation;

import ai.collectiveagency.schemas.EvalResult;
import ai.collectiveagency.schemas.ScoredGroup;
import ai.collectiveagency.schemas.TaskMode;
import ai.collectiveagency.schemas.Trajectory;
import ai.collectiveagency.schemas.TrajectoryScore;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link EvalResult} of one held-out scored group: how well the policy version that sampled
 * it does on a task it is never trained on. The reward model has already scored the group, so
 * evaluating it costs no forward pass.
 *
 * <ul>
 *   <li>{@code policy_version}: the newest version among the group's trajectories (a group is
 *       normally sampled by one version; a fleet mid-swap may mix two);</li>
 *   <li>{@code sample_count}: the trajectories with a reward;</li>
 *   <li>{@code metrics}: {@code reward_mean} and {@code reward_std} over those (absent when there
 *       are none: a mean of nothing would read as a score), {@code agreement_rate} (the share of
 *       all trajectories that reached agreement; NEGOTIATION tasks only, a single answer never
 *       agrees), {@code unscorable} (trajectories without a reward) and {@code trainer_step}
 *       (the trainer's step when it read the group, to plot held-out reward against steps).</li>
 * </ul>
 */
public final class HeldOutEvaluation {

    /** The {@code evaluation} name of held-out results on the metrics topic. */
    public static final String NAME = "held-out";

    private HeldOutEvaluation() {
    }

    /** The result of {@code scored} (a held-out group) read at {@code trainerStep}. */
    public static EvalResult of(ScoredGroup scored, long trainerStep, Instant recordedAt) {
        List<Trajectory> trajectories = scored.getGroup().getTrajectories();
        // The contract guarantees a group at least one trajectory and a reward exactly when
        // the trajectory is scorable.
        long version = trajectories.stream().mapToLong(Trajectory::getPolicyVersion).max()
                .orElseThrow();
        Moments rewards = Moments.of(scored.getScores().stream()
                .map(TrajectoryScore::getReward).filter(r -> r != null)
                .mapToDouble(Double::doubleValue).toArray());
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (rewards.count() > 0) {
            metrics.put("reward_mean", rewards.mean());
            metrics.put("reward_std", rewards.std());
        }
        if (scored.getGroup().getTask().getMode() == TaskMode.NEGOTIATION) {
            metrics.put("agreement_rate", trajectories.stream()
                    .filter(Trajectory::getAgreementReached).count()
                    / (double) trajectories.size());
        }
        metrics.put("unscorable", (double) scored.getScores().stream()
                .filter(TrajectoryScore::getUnscorable).count());
        metrics.put("trainer_step", (double) trainerStep);
        return EvalResult.newBuilder().setEvaluation(NAME).setPolicyVersion(version)
                .setRecordedAt(recordedAt).setSampleCount(rewards.count()).setMetrics(metrics)
                .build();
    }
}
