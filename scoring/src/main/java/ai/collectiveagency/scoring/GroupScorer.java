package ai.collectiveagency.scoring;

import ai.collectiveagency.schemas.RolloutGroup;
import ai.collectiveagency.schemas.ScoredGroup;
import ai.collectiveagency.schemas.Trajectory;
import ai.collectiveagency.schemas.TrajectoryScore;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Scores a {@link RolloutGroup}: every trajectory that ended with a resolution (or answer) goes
 * to the {@link Scorer} in one batch; a failed trajectory is worth what
 * {@link FailedTrajectories} says. The result carries one {@link TrajectoryScore} per
 * trajectory, in the group's order, and the scorer's id and version.
 */
public final class GroupScorer {

    private final Scorer scorer;
    private final FailedTrajectories failed;
    private final Clock clock;

    public GroupScorer(Scorer scorer, FailedTrajectories failed, Clock clock) {
        this.scorer = Objects.requireNonNull(scorer, "scorer");
        this.failed = Objects.requireNonNull(failed, "failed");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Scorer scorer() {
        return scorer;
    }

    /**
     * The group scored, and whether any of its texts went unscored because the judge could not
     * be reached (not because of what the text or the answer was).
     */
    public GroupScore score(RolloutGroup group) {
        List<Trajectory> trajectories = group.getTrajectories();
        List<ScoringInput> inputs = new ArrayList<>();
        for (Trajectory trajectory : trajectories) {
            if (!isFailed(trajectory)) {
                inputs.add(new ScoringInput(group.getTask(), trajectory.getResolution()));
            }
        }
        Scores scores = inputs.isEmpty() ? new Scores(List.of(), "none") : scorer.score(inputs);
        if (scores.verdicts().size() != inputs.size()) {
            throw new IllegalStateException(scorer.id() + " gave " + scores.verdicts().size()
                    + " verdicts for " + inputs.size() + " texts");
        }
        List<TrajectoryScore> out = new ArrayList<>(trajectories.size());
        boolean judgeUnreachable = false;
        int next = 0;
        for (Trajectory trajectory : trajectories) {
            Verdict verdict = isFailed(trajectory) ? failedVerdict()
                    : scores.verdicts().get(next++);
            judgeUnreachable |= verdict instanceof Verdict.Unscorable u && u.judgeUnreachable();
            out.add(toScore(trajectory.getTrajectoryId(), verdict));
        }
        return new GroupScore(ScoredGroup.newBuilder()
                .setGroup(group)
                .setScores(out)
                .setScorerId(scorer.id())
                .setScorerVersion(scores.scorerVersion())
                .setScoredAt(clock.instant().truncatedTo(ChronoUnit.MILLIS))
                .build(), judgeUnreachable);
    }

    /**
     * A scored group, and whether the judge was unreachable for some of its texts (they are
     * flagged unscorable with the reason).
     */
    public record GroupScore(ScoredGroup scored, boolean judgeUnreachable) {
    }

    private static boolean isFailed(Trajectory trajectory) {
        return trajectory.getFailed() || trajectory.getResolution() == null;
    }

    private Verdict failedVerdict() {
        return failed == FailedTrajectories.ZERO
                ? new Verdict.Scored(0.0, Map.of("failed", 1.0))
                : new Verdict.Unscorable("failed trajectory: no agreement or no resolution");
    }

    private static TrajectoryScore toScore(String trajectoryId, Verdict verdict) {
        TrajectoryScore.Builder score = TrajectoryScore.newBuilder().setTrajectoryId(trajectoryId);
        if (verdict instanceof Verdict.Scored scored) {
            return score.setReward(scored.reward()).setBreakdown(scored.breakdown())
                    .setUnscorable(false).setUnscorableReason(null).build();
        }
        Verdict.Unscorable unscorable = (Verdict.Unscorable) verdict;
        return score.setReward(null).setBreakdown(Map.of()).setUnscorable(true)
                .setUnscorableReason(unscorable.reason()).build();
    }
}
