package ai.collectiveagency.evaluation.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.collectiveagency.schemas.PolicyCheckpoint;
import ai.collectiveagency.schemas.CheckpointFormat;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EvaluationScheduleTest {

    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

    private static PolicyCheckpoint version(long v) {
        return PolicyCheckpoint.newBuilder().setVersion(v).setStep(v).setUri("file:/s/v" + v)
                .setSha256("0".repeat(64)).setFormat(CheckpointFormat.LORA).setBaseModel("m")
                .setBaseModelSha256("0".repeat(64)).setCreatedAt(T0).setMetrics(Map.of())
                .setConsumedOffsets(Map.of()).build();
    }

    private static Optional<Long> due(EvaluationSchedule schedule, Instant at) {
        return schedule.due(at).map(PolicyCheckpoint::getVersion);
    }

    @Test
    void everyVersionIsEvaluatedInTurnWhenNothingWaits() {
        EvaluationSchedule schedule = new EvaluationSchedule(1, Duration.ZERO);

        schedule.announced(version(1));
        assertThat(due(schedule, T0)).contains(1L);
        assertThat(due(schedule, T0)).isEmpty();
        schedule.announced(version(2));
        assertThat(due(schedule, T0)).contains(2L);
        assertThat(schedule.skipped()).isZero();
    }

    @Test
    void whenBehindTheNewestWinsAndTheOthersAreSkipped() {
        EvaluationSchedule schedule = new EvaluationSchedule(1, Duration.ZERO);

        schedule.announced(version(3));
        schedule.announced(version(4));
        schedule.announced(version(5));
        schedule.announced(version(4)); // a late duplicate changes nothing

        assertThat(due(schedule, T0)).contains(5L);
        assertThat(schedule.skipped()).isEqualTo(2);
        assertThat(schedule.announced(version(5))).as("already evaluated").isFalse();
        assertThat(schedule.hasWaiting()).isFalse();
    }

    @Test
    void onlyMultiplesOfNAreEvaluated() {
        EvaluationSchedule schedule = new EvaluationSchedule(5, Duration.ZERO);

        assertThat(schedule.announced(version(3))).isFalse();
        assertThat(schedule.announced(version(5))).isTrue();
        assertThat(schedule.announced(version(7))).isFalse();
        assertThat(due(schedule, T0)).contains(5L);
        assertThat(schedule.announced(version(10))).isTrue();
    }

    @Test
    void aMinimumIntervalHoldsTheNewestUntilItHasPassed() {
        EvaluationSchedule schedule = new EvaluationSchedule(1, Duration.ofMinutes(2));

        schedule.announced(version(1));
        assertThat(due(schedule, T0)).contains(1L);
        schedule.announced(version(2));
        schedule.announced(version(3));
        assertThat(due(schedule, T0.plusSeconds(60))).isEmpty();
        assertThat(schedule.hasWaiting()).as("its offset stays uncommitted").isTrue();
        assertThat(due(schedule, T0.plusSeconds(120))).contains(3L);
        assertThat(schedule.skipped()).isEqualTo(1);
    }

    @Test
    void settingsThatCannotWorkAreRefusedWithTheirKey() {
        assertThatThrownBy(() -> new EvaluationSchedule(0, Duration.ZERO))
                .hasMessageContaining("evaluation.schedule.every-nth-version");
        assertThatThrownBy(() -> new EvaluationSchedule(1, Duration.ofSeconds(-1)))
                .hasMessageContaining("evaluation.schedule.min-interval");
    }
}
