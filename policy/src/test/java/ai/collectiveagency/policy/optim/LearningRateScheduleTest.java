package ai.collectiveagency.policy.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.policy.optim.ScheduleConfig.Kind;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LearningRateScheduleTest {

    private static final double PEAK = 1e-3;

    /** Values of transformers' get_*_schedule_with_warmup (warm-up 10, total 110) times PEAK. */
    static Stream<Arguments> expectedRates() {
        return Stream.of(
                Arguments.of(Kind.CONSTANT, 0, PEAK),
                Arguments.of(Kind.CONSTANT, 1000, PEAK),
                Arguments.of(Kind.WARMUP_CONSTANT, 0, 0.0),
                Arguments.of(Kind.WARMUP_CONSTANT, 5, PEAK * 0.5),
                Arguments.of(Kind.WARMUP_CONSTANT, 10, PEAK),
                Arguments.of(Kind.WARMUP_CONSTANT, 500, PEAK),
                Arguments.of(Kind.WARMUP_LINEAR, 3, PEAK * 0.3),
                Arguments.of(Kind.WARMUP_LINEAR, 10, PEAK),
                Arguments.of(Kind.WARMUP_LINEAR, 60, PEAK * 0.5),
                Arguments.of(Kind.WARMUP_LINEAR, 110, 0.0),
                Arguments.of(Kind.WARMUP_LINEAR, 200, 0.0),
                Arguments.of(Kind.WARMUP_COSINE, 4, PEAK * 0.4),
                Arguments.of(Kind.WARMUP_COSINE, 10, PEAK),
                Arguments.of(Kind.WARMUP_COSINE, 35, PEAK * 0.5 * (1 + Math.cos(Math.PI / 4))),
                Arguments.of(Kind.WARMUP_COSINE, 60, PEAK * 0.5),
                Arguments.of(Kind.WARMUP_COSINE, 110, 0.0));
    }

    @ParameterizedTest(name = "{0} at step {1}")
    @MethodSource("expectedRates")
    void rateAtStepMatchesTransformers(Kind kind, int step, double expected) {
        LearningRateSchedule schedule = new ScheduleConfig(kind, 10, 110).schedule(PEAK);

        assertThat(schedule.at(step)).isCloseTo(expected, within(1e-15));
    }

    @Test
    void totalBeforeWarmupIsRefused() {
        assertThatThrownBy(() -> new ScheduleConfig(Kind.WARMUP_COSINE, 10, 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("totalSteps must be");
    }
}
