package ai.collectiveagency.demo.report;

import static ai.collectiveagency.demo.PipelineEvents.checkpoint;
import static ai.collectiveagency.demo.PipelineEvents.evaluation;
import static ai.collectiveagency.demo.PipelineEvents.heldOut;
import static ai.collectiveagency.demo.PipelineEvents.negotiation;
import static ai.collectiveagency.demo.PipelineEvents.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.demo.dashboard.HeldOutPoint;
import ai.collectiveagency.demo.dashboard.RunSeries;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run's counts and newest values, as the progress line and the summary read them. */
class RunRecordTest {

    private static final Instant START = Instant.parse("2026-01-02T03:00:00Z");

    @TempDir
    Path folder;

    private RunRecord record() {
        return new RunRecord(new RunSeries(), new SampleNegotiations(),
                MetricsLog.create(folder.resolve(MetricsLog.FILE)), START);
    }

    @Test
    void heldOutEvaluationsArePlottedAtTheirTrainerStepAndOtherEvaluationsOnlyLogged() {
        try (RunRecord record = record()) {
            record.step(step(1, 0.2));
            record.evaluation(heldOut(4, 2, 8, 0.5));
            record.evaluation(evaluation("held-out-ca", 4, 2, 8, 0.9));

            assertThat(record.series().heldOut()).extracting(HeldOutPoint::trainerStep)
                    .containsExactly(4L);
            assertThat(record.lastHeldOut().orElseThrow().rewardMean()).isEqualTo(0.5);
        }
    }

    @Test
    void aCheckpointFromBeforeTheRunAndItsReannouncementAreNotNewCheckpoints() {
        try (RunRecord record = record()) {
            record.resumedFrom(checkpoint(5, 10, 40));
            record.checkpoint(checkpoint(5, 10, 40), 0);
            record.checkpoint(checkpoint(6, 12, 44), 0);
            record.checkpoint(checkpoint(7, 14, 48), 0);

            RunSummary summary = record.summary("r", START.plusSeconds(90));
            assertThat(summary.checkpoints()).isEqualTo(2);
            assertThat(summary.newestCheckpoint()).isEqualTo(7);
            assertThat(record.trainerOffsets()).isEqualTo(
                    Map.of(TopicCatalogue.defaults().name(LogicalTopic.SCORED) + "-0", 48L));
        }
    }

    @Test
    void rewardAtStartAndEndAverageTheFirstAndLastStepsWithoutOverlap() {
        try (RunRecord record = record()) {
            double[] rewards = {0.1, 0.2, 0.3, 0.7, 0.8, 0.9};
            for (int i = 0; i < rewards.length; i++) {
                record.step(step(i + 1, rewards[i]));
            }

            RunSummary summary = record.summary("r", START.plusSeconds(90));
            assertThat(summary.rewardSteps()).isEqualTo(3);
            assertThat(summary.rewardStart().getAsDouble()).isCloseTo(0.2, within(1e-12));
            assertThat(summary.rewardEnd().getAsDouble()).isCloseTo(0.8, within(1e-12));
            assertThat(summary.steps()).isEqualTo(6);
        }
    }

    @Test
    void heldOutRewardAtStartAndEndPoolsTheFirstAndLastFewEvaluations() {
        try (RunRecord record = record()) {
            for (int step = 1; step <= 10; step++) {
                record.evaluation(heldOut(step, step, 6, step / 10.0));
            }

            RunSummary summary = record.summary("r", START.plusSeconds(60));
            assertThat(summary.heldOutStart().orElseThrow().rewardMean())
                    .isCloseTo(0.3, within(1e-12)); // steps 1-5
            assertThat(summary.heldOutStart().orElseThrow().samples()).isEqualTo(30);
            assertThat(summary.heldOutEnd().orElseThrow().rewardMean())
                    .isCloseTo(0.8, within(1e-12)); // steps 6-10
            assertThat(summary.heldOutEnd().orElseThrow().policyVersion()).isEqualTo(10);
        }
    }

    @Test
    void scoredGroupsCountHeldOutOnesAndRaiseTheFleetVersion() {
        try (RunRecord record = record()) {
            record.scored(negotiation("a", 0, "x", 0.1));
            record.scored(negotiation("b", 3, true, "x", 0.1));

            RunSummary summary = record.summary("r", START.plusSeconds(90));
            assertThat(summary.groupsScored()).isEqualTo(2);
            assertThat(summary.heldOutGroups()).isEqualTo(1);
            assertThat(record.fleetVersion()).isEqualTo(3);
        }
    }
}
