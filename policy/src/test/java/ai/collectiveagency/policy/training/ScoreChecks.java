package ai.collectiveagency.policy.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.policy.engine.NoGradient;
import ai.collectiveagency.policy.engine.OfflineEngine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/** Checks shared by the tests that hold one way of scoring against another. */
final class ScoreChecks {

    private ScoreChecks() {}

    static void assertClose(String what, float[] actual, float[] expected, double tolerance) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).as("%s[%d]", what, i)
                    .isCloseTo(expected[i], within(tolerance));
        }
    }

    /**
     * Every weight's gradient in {@code actual} within 1e-4 of the norm of its {@code expected}
     * (the engine's); returns the sum of those norms.
     */
    static double assertGradientsMatch(Map<String, double[]> expected,
            Map<String, double[]> actual) {
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        double total = 0;
        for (Map.Entry<String, double[]> entry : expected.entrySet()) {
            double[] want = entry.getValue();
            double[] got = actual.get(entry.getKey());
            double scale = ModelGradients.norm(want);
            double difference = 0;
            for (int i = 0; i < want.length; i++) {
                difference += (got[i] - want[i]) * (got[i] - want[i]);
            }
            assertThat(Math.sqrt(difference)).as("|d loss / d %s - engine's|",
                    entry.getKey()).isLessThanOrEqualTo(1e-4 * scale + 1e-9);
            total += scale;
        }
        return total;
    }

    /** The log-probs moved by up to {@code spread}: some ratios leave the clip. */
    static NDArray moved(NDManager m, NDArray logprobs, double spread, SplittableRandom random) {
        float[] values = logprobs.stopGradient().toFloatArray();
        for (int i = 0; i < values.length; i++) {
            values[i] += (float) (spread * (2 * random.nextDouble() - 1));
        }
        return m.create(values, logprobs.getShape());
    }

    /**
     * The gradients, by name, that {@code backward} (run inside a new gradient collector) gives
     * the {@code trained} weights, each zeroed first.
     */
    static Map<String, double[]> gradientsOf(Map<String, NDArray> trained,
            Consumer<GradientCollector> backward) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            try (NoGradient noGradient = new NoGradient()) {
                trained.values().forEach(p -> p.getGradient().set(new NDIndex("..."), 0));
            }
            try (GradientCollector collector = OfflineEngine.start().newGradientCollector()) {
                backward.accept(collector);
            }
            Map<String, double[]> gradients = new LinkedHashMap<>();
            trained.forEach((name, p) -> gradients.put(name,
                    p.getGradient().toType(DataType.FLOAT64, false).toDoubleArray()));
            return gradients;
        }
    }
}
