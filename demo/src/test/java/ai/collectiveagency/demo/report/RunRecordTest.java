package ai.collectiveagency.demo.report;

import static ai.collectiveagency.demo.PipelineEvents.checkpoint;
import static ai.collectiveagency.demo.PipelineEvents.evaluation;
import static ai.collectiveagency.demo.PipelineEvents.heldOut;
import static ai.collectiveagency.demo.PipelineEvents.negotiation;
import static ai.collectiveagency.demo.PipelineEvents.pair;
import static ai.collectiveagency.demo.PipelineEvents.step;
import static ai.collectiveagency.demo.PipelineEvents.winRate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.demo.dashboard.HeldOutPoint;
import ai.collectiveagency.demo.dashboard.RunSeries;
import ai.collectiveagency.demo.dashboard.WinRatePoint;
import ai.collectiveagency.demo.samples.SampleFiles;
import ai.collectiveagency.demo.samples.SampleLine;
import ai.collectiveagency.demo.samples.SampleLog;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run's counts and newest values, as the progress line and the summary read them. */
class RunRecordTest {

    private static final Instant START = Instant.parse("2026-01-02T03:00:00Z");

    @TempDir
    Path folder;

    private RunRecord record() {
        return new RunRecord(new RunSeries(), SampleLog.open(folder),
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
            assertThat(summary.reward().steps()).isEqualTo(3);
            assertThat(summary.reward().start().getAsDouble()).isCloseTo(0.2, within(1e-12));
            assertThat(summary.reward().end().getAsDouble()).isCloseTo(0.8, within(1e-12));
            assertThat(summary.steps()).isEqualTo(6);
        }
    }

    @Test
    void thePapersStepFiguresAtStartAndEndAverageTheFirstAndLastStepsThatReportedThem() {
        try (RunRecord record = record()) {
            record.step(step(1, 0.1)); // a trainer that did not report them yet
            for (int i = 0; i < 4; i++) {
                record.step(step(i + 2, 0.1, 0.8 - 0.2 * i, 0.5, 2 + i, -0.5 + 0.25 * i));
            }

            RunSummary summary = record.summary("r", START.plusSeconds(90));
            assertThat(summary.stepFigures()).extracting(StepFigure::metric).containsExactly(
                    "zero_advantage_share", "no_agreement_rate", "rounds_mean",
                    "reward_group_min");
            StepFigure zeroAdvantage = summary.stepFigures().get(0);
            assertThat(zeroAdvantage.steps()).isEqualTo(2);
            assertThat(zeroAdvantage.start().getAsDouble()).isCloseTo(0.7, within(1e-12));
            assertThat(zeroAdvantage.end().getAsDouble()).isCloseTo(0.3, within(1e-12));
            // 0.8, 0.6, 0.4, 0.2 over the run.
            assertThat(zeroAdvantage.runMean().getAsDouble()).isCloseTo(0.5, within(1e-12));
            assertThat(summary.stepFigures().get(2).end().getAsDouble())
                    .isCloseTo(4.5, within(1e-12));
            assertThat(summary.stepFigures().get(3).start().getAsDouble())
                    .isCloseTo(-0.375, within(1e-12));
        }
    }

    @Test
    void withoutTheFiguresTheSummarySaysSoRatherThanZero() {
        try (RunRecord record = record()) {
            record.step(step(1, 0.1));

            assertThat(record.summary("r", START.plusSeconds(9)).stepFigures())
                    .allSatisfy(f -> assertThat(f.start()).isEmpty());
        }
    }

    @Test
    void theLastEvaluatedCheckpointIsTheNewestEvaluatedOnEverySetAndDecoding() {
        try (RunRecord record = record()) {
            for (long version : new long[] {2, 4}) {
                record.evaluation(winRate(version, "negotiation-v1", "greedy", "base", 8, 4, 4));
                record.evaluation(winRate(version, "open-ended-v1", "greedy", "base", 4, 4, 8));
            }
            // v6's evaluation was under way when the run ended.
            record.evaluation(winRate(6, "negotiation-v1", "greedy", "base", 16, 0, 0));

            RunSummary summary = record.summary("r", START.plusSeconds(600));
            assertThat(summary.winRateRecords()).isEqualTo(5);
            assertThat(summary.checkpointsEvaluated()).isEqualTo(3);
            CheckpointEvaluation last = summary.lastEvaluation().orElseThrow();
            assertThat(last.policyVersion()).isEqualTo(4);
            assertThat(last.winRates()).extracting(WinRatePoint::set, WinRatePoint::winRate,
                    WinRatePoint::n, WinRatePoint::wins).containsExactlyInAnyOrder(
                            tuple("negotiation-v1", 0.625, 16L, 8L),
                            tuple("open-ended-v1", 0.375, 16L, 4L));
            assertThat(record.series().json()).contains("\"negotiation-v1 greedy\":[0.625,0.625,1.0]");
        }
    }

    @Test
    void threeJudgedPairsAgainstTheBaseAreTakenInTurnFromEachSetAndDecoding() {
        try (RunRecord record = record()) {
            record.evaluation(winRate(4, "negotiation-v1", "greedy", "base", 1, 1, 1,
                    pair("n1", "p", "b", "policy", "policy", "win"),
                    pair("n2", "p", "b", "tie", "policy", "tie"),
                    pair("n3", "p", "b", "against", "against", "loss")));
            record.evaluation(winRate(4, "open-ended-v1", "greedy", "base", 1, 0, 0,
                    pair("o1", "p", "b", "policy", "policy", "win")));
            record.evaluation(winRate(4, "negotiation-v1", "greedy", "other/v3", 1, 0, 0,
                    pair("x1", "p", "b", "policy", "policy", "win")));

            CheckpointEvaluation last = record.summary("r", START).lastEvaluation().orElseThrow();
            assertThat(last.pairs()).extracting(JudgedPair::taskId, JudgedPair::set)
                    .containsExactly(tuple("n1", "negotiation-v1"), tuple("o1", "open-ended-v1"),
                            tuple("n2", "negotiation-v1"));
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

    @Test
    void everyScoredTrajectoryIsAppendedToSamplesJsonlAsItArrives() {
        try (RunRecord record = record()) {
            record.scored(negotiation("a", 0, "x", 0.1, 0.2));
            record.scored(negotiation("b", 3, true, "y", 0.3));

            List<SampleLine> lines = new ArrayList<>();
            SampleFiles.read(folder, lines::add);
            assertThat(lines).extracting(SampleLine::groupId, SampleLine::heldOut,
                    SampleLine::reward).containsExactly(tuple("a", false, 0.1),
                            tuple("a", false, 0.2), tuple("b", true, 0.3));
        }
    }
}
