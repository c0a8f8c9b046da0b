package ai.collectiveagency.policy.grpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.policy.engine.OfflineEngine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Parity with a PyTorch implementation of TRL's GRPO loss, on every fixture case. */
class GrpoLossFixtureTest {

    static Stream<GrpoCase> cases() {
        return GrpoCase.all().stream();
    }

    /** Each case in double precision (1e-6) and in float32 (1e-4), the README's tolerances. */
    static Stream<Arguments> casesByPrecision() {
        return cases().flatMap(c -> Stream.of(
                Arguments.of(c, DataType.FLOAT64, 1e-6), Arguments.of(c, DataType.FLOAT32, 1e-4)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void advantagesMatchTheReference(GrpoCase c) {
        double[] advantages = new GroupAdvantages(c.config().scaleRewards())
                .estimate(c.rewards(), c.groupSize());

        assertThat(advantages).containsExactly(c.advantages(), within(1e-9));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("casesByPrecision")
    void lossStatisticsAndGradientMatchTheReference(GrpoCase c, DataType type, double tolerance) {
        double[] advantages = new GroupAdvantages(c.config().scaleRewards())
                .estimate(c.rewards(), c.groupSize());
        try (NDManager manager = OfflineEngine.manager()) {
            NDArray logp = create(manager, c.logp(), type);
            logp.setRequiresGradient(true);
            GrpoInputs inputs = GrpoInputs.of(logp, create(manager, c.oldLogp(), type),
                    create(manager, c.refLogp(), type), create(manager, c.mask(), type),
                    manager.create(advantages).toType(type, false));

            GrpoLossResult result;
            try (GradientCollector collector = OfflineEngine.start().newGradientCollector()) {
                result = new GrpoLoss(c.config()).compute(inputs);
                collector.backward(result.loss());
            }

            assertThat(result.loss().getShape()).isEqualTo(new Shape());
            assertThat(asDouble(result.loss())[0]).isCloseTo(c.loss(), within(tolerance));
            assertThat(result.statistics().meanKl()).isCloseTo(c.meanKl(), within(tolerance));
            assertThat(result.statistics().clipFraction())
                    .isCloseTo(c.clipFraction(), within(tolerance));
            assertThat(result.statistics().tokenCount())
                    .isEqualTo(Math.round(Arrays.stream(c.mask()).flatMapToDouble(Arrays::stream)
                            .sum()));
            double[] gradient = asDouble(logp.getGradient());
            double[] expected = Arrays.stream(c.gradLogp()).flatMapToDouble(Arrays::stream)
                    .toArray();
            assertThat(gradient).containsExactly(expected, within(tolerance));
        }
    }

    private static NDArray create(NDManager manager, double[][] rows, DataType type) {
        double[] flat = Arrays.stream(rows).flatMapToDouble(Arrays::stream).toArray();
        return manager.create(flat, new Shape(rows.length, rows[0].length)).toType(type, false);
    }

    private static double[] asDouble(NDArray array) {
        return array.toType(DataType.FLOAT64, false).toDoubleArray();
    }
}
