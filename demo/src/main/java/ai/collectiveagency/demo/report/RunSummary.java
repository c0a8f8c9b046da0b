package ai.collectiveagency.demo.report;

import ai.collectiveagency.demo.dashboard.HeldOutPoint;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The run in figures, for the report's summary table and its win-rate section.
 *
 * @param run the run's name (its folder under runs/)
 * @param started when the progress line started
 * @param duration how long the run went on
 * @param steps trainer steps seen
 * @param checkpoints checkpoints announced during the run (a resumed one not counted)
 * @param newestCheckpoint the newest checkpoint version known at the end (0: none)
 * @param groupsScored scored groups seen, held-out ones included
 * @param heldOutGroups of them, groups of held-out tasks
 * @param reward the steps' mean reward at the start and at the end
 * @param stepFigures the paper's step figures at the start and at the end, in
 *     {@link RunRecord#STEP_FIGURES}' order
 * @param heldOutStart the first few held-out evaluations, pooled
 * @param heldOutEnd the last few, pooled
 * @param winRateRecords the evaluation-service's win-rate records seen
 * @param checkpointsEvaluated the checkpoint versions they evaluated
 * @param lastEvaluation the last evaluated checkpoint's win rates and judged pairs
 */
public record RunSummary(String run, Instant started, Duration duration, long steps,
        long checkpoints, long newestCheckpoint, long groupsScored, long heldOutGroups,
        StepFigure reward, List<StepFigure> stepFigures, Optional<HeldOutPoint> heldOutStart,
        Optional<HeldOutPoint> heldOutEnd, long winRateRecords, int checkpointsEvaluated,
        Optional<CheckpointEvaluation> lastEvaluation) {

    public RunSummary {
        stepFigures = List.copyOf(stepFigures);
    }
}
