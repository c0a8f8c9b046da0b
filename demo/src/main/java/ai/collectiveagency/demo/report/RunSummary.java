package ai.collectiveagency.demo.report;

import ai.collectiveagency.demo.dashboard.HeldOutPoint;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The run in figures, for the report's summary table.
 *
 * @param run the run's name (its folder under runs/)
 * @param started when the progress line started
 * @param duration how long the run went on
 * @param steps trainer steps seen
 * @param checkpoints checkpoints announced during the run (a resumed one not counted)
 * @param newestCheckpoint the newest checkpoint version known at the end (0: none)
 * @param groupsScored scored groups seen, held-out ones included
 * @param heldOutGroups of them, groups of held-out tasks
 * @param rewardStart mean of {@code rewardSteps} first steps' mean reward
 * @param rewardEnd mean of {@code rewardSteps} last steps' mean reward
 * @param rewardSteps steps averaged at each end
 * @param heldOutStart the first few held-out evaluations, pooled
 * @param heldOutEnd the last few, pooled
 */
public record RunSummary(String run, Instant started, Duration duration, long steps,
        long checkpoints, long newestCheckpoint, long groupsScored, long heldOutGroups,
        OptionalDouble rewardStart, OptionalDouble rewardEnd, int rewardSteps,
        Optional<HeldOutPoint> heldOutStart, Optional<HeldOutPoint> heldOutEnd) {
}
