package ai.collectiveagency.policy.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.policy.engine.OfflineEngine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GradientClippingTest {

    private final NDManager manager = OfflineEngine.manager();
    private final NDArray weight = parameter(2);
    private final NDArray bias = parameter(1);
    private final Map<String, NDArray> parameters = Map.of("weight", weight, "bias", bias);

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void gradientsOverTheLimitAreScaledToTheMaximumNorm() {
        TestGradients.accumulate(weight, 3f, 0f);
        TestGradients.accumulate(bias, 4f); // global norm sqrt(9 + 16) = 5

        double norm = GradientClipping.clipByGlobalNorm(parameters, 1.0);

        assertThat(norm).isCloseTo(5.0, within(1e-12));
        double scale = 1.0 / (5.0 + 1e-6);
        assertThat(TestGradients.of(weight)[0]).isCloseTo((float) (3 * scale), within(1e-7f));
        assertThat(TestGradients.of(bias)[0]).isCloseTo((float) (4 * scale), within(1e-7f));
    }

    @Test
    void gradientsUnderTheLimitAreUntouched() {
        TestGradients.accumulate(weight, 0.3f, 0.4f);
        TestGradients.accumulate(bias, 0f);

        assertThat(GradientClipping.clipByGlobalNorm(parameters, 1.0)).isCloseTo(0.5, within(1e-7));
        assertThat(TestGradients.of(weight)).containsExactly(0.3f, 0.4f);
    }

    @Test
    void nonFiniteNormIsReportedAndGradientsAreLeftForTheCallerToDiscard() {
        TestGradients.accumulate(weight, Float.NaN, 100f);
        TestGradients.accumulate(bias, 100f);

        assertThat(GradientClipping.clipByGlobalNorm(parameters, 1.0)).isNaN();
        assertThat(TestGradients.of(bias)).containsExactly(100f);
    }

    /** A norm over many blocks and threads, against the sum of exact squares in double. */
    @Test
    void aLargeGradientsNormIsItsDoubleSumOfSquares() {
        int size = (1 << 18) + 5;
        float[] values = AdamWTest.gaussian(new SplittableRandom(3), size, 1e-3);
        NDArray large = parameter(size);
        TestGradients.accumulate(large, values);
        double squares = 0;
        for (float value : values) {
            squares += (double) value * value;
        }

        double norm = GradientClipping.clipByGlobalNorm(Map.of("large", large), 1e6);

        assertThat(norm).isCloseTo(Math.sqrt(squares), within(1e-12 * Math.sqrt(squares)));
    }

    /** A gradient Java cannot view (laid out as its transposed parameter) takes the engine. */
    @Test
    void aTransposedParametersNormIsTheSame() {
        NDArray transposed = manager.zeros(new Shape(2, 2)).transpose();
        transposed.setRequiresGradient(true);
        TestGradients.accumulate(transposed, 3f, 0f, 0f, 4f);

        assertThat(GradientClipping.clipByGlobalNorm(Map.of("t", transposed), 10.0))
                .isCloseTo(5.0, within(1e-12));
    }

    private NDArray parameter(int size) {
        NDArray parameter = manager.zeros(new Shape(size));
        parameter.setRequiresGradient(true);
        return parameter;
    }
}
