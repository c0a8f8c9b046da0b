package ai.collectiveagency.policy.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.policy.engine.OfflineEngine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AdamWTest {

    private static final AdamWConfig CONFIG = new AdamWConfig(0.01, 0.9, 0.999, 1e-8, 0.1);

    private final NDManager manager = OfflineEngine.manager();

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void threeStepsMatchTheReferenceFormulaComputedInDoubles() {
        double[] start = {0.5, -1.0, 2.0, 0.0};
        float[][] gradients = {{0.1f, -0.2f, 0.3f, 0f}, {1f, 0.5f, -0.3f, 2f}, {-0.4f, 0, 3f, 1f}};
        NDArray weight = parameter(start);
        try (AdamW optimizer = new AdamW(Map.of("w", weight), CONFIG, ScheduleConfig.constant())) {
            for (float[] gradient : gradients) {
                TestGradients.accumulate(weight, gradient);
                optimizer.step();
                optimizer.zeroGradients();
            }
        }
        assertThat(toDoubles(weight.toFloatArray()))
                .containsExactly(reference(start, gradients), within(1e-6));
    }

    /** torch.optim.AdamW's update, written out in plain double arithmetic. */
    private static double[] reference(double[] start, float[][] gradients) {
        double[] p = start.clone();
        double[] m = new double[p.length];
        double[] v = new double[p.length];
        double lr = CONFIG.learningRate();
        for (int t = 1; t <= gradients.length; t++) {
            for (int i = 0; i < p.length; i++) {
                double g = gradients[t - 1][i];
                p[i] -= lr * CONFIG.weightDecay() * p[i];
                m[i] = CONFIG.beta1() * m[i] + (1 - CONFIG.beta1()) * g;
                v[i] = CONFIG.beta2() * v[i] + (1 - CONFIG.beta2()) * g * g;
                double mHat = m[i] / (1 - Math.pow(CONFIG.beta1(), t));
                double vHat = v[i] / (1 - Math.pow(CONFIG.beta2(), t));
                p[i] -= lr * mHat / (Math.sqrt(vHat) + CONFIG.eps());
            }
        }
        return p;
    }

    @Test
    void weightDecayIsDecoupledFromTheGradient() {
        NDArray weight = parameter(2.0, -4.0);
        try (AdamW optimizer = new AdamW(Map.of("w", weight), CONFIG, ScheduleConfig.constant())) {
            TestGradients.accumulate(weight, 0f, 0f);
            optimizer.step();
        }
        double shrink = 1 - CONFIG.learningRate() * CONFIG.weightDecay();
        assertThat(toDoubles(weight.toFloatArray()))
                .containsExactly(new double[] {2.0 * shrink, -4.0 * shrink}, within(1e-7));
    }

    @Test
    void gradientsAccumulateAcrossBackwardPassesUntilZeroed() {
        NDArray weight = parameter(1.0, 1.0);
        try (AdamW optimizer = new AdamW(Map.of("w", weight), CONFIG, ScheduleConfig.constant())) {
            TestGradients.accumulate(weight, 1f, 2f);
            TestGradients.accumulate(weight, 3f, 4f);
            assertThat(TestGradients.of(weight)).containsExactly(4f, 6f);

            optimizer.zeroGradients();
            assertThat(TestGradients.of(weight)).containsExactly(0f, 0f);
        }
    }

    @Test
    void zeroingClearsNonFiniteGradients() {
        NDArray weight = parameter(1.0, 1.0);
        try (AdamW optimizer = new AdamW(Map.of("w", weight), CONFIG, ScheduleConfig.constant())) {
            TestGradients.accumulate(weight, Float.NaN, Float.POSITIVE_INFINITY);
            optimizer.zeroGradients();
            assertThat(TestGradients.of(weight)).containsExactly(0f, 0f);
        }
    }

    @Test
    void stepIsAllowedWhileAutogradIsRecording() {
        NDArray weight = parameter(1.0);
        try (AdamW optimizer = new AdamW(Map.of("w", weight), CONFIG, ScheduleConfig.constant());
                GradientCollector recording = OfflineEngine.start().newGradientCollector()) {
            optimizer.step();
            optimizer.zeroGradients();
        }
        assertThat(weight.toFloatArray()[0]).isLessThan(1f);
    }

    @Test
    void fiveHundredStepsLeaveNoArraysBehind() {
        NDArray weight = parameter(1, 2, 3, 4, 5, 6);
        NDArray bias = parameter(0.5);
        Map<String, NDArray> parameters = Map.of("weight", weight, "bias", bias);
        try (AdamW optimizer = new AdamW(parameters, CONFIG, ScheduleConfig.constant())) {
            NDManager state = optimizer.moments().get("weight").expAvg().getManager();
            oneTrainingStep(optimizer, parameters);
            int parameterArrays = manager.getManagedArrays().size();
            int stateArrays = state.getManagedArrays().size();

            for (int i = 0; i < 500; i++) {
                oneTrainingStep(optimizer, parameters);
            }

            assertThat(manager.getManagedArrays()).hasSize(parameterArrays);
            assertThat(state.getManagedArrays()).hasSize(stateArrays);
            assertThat(optimizer.stepCount()).isEqualTo(501);
        }
    }

    private static void oneTrainingStep(AdamW optimizer, Map<String, NDArray> parameters) {
        try (NDScope scope = new NDScope();
                GradientCollector collector = OfflineEngine.start().newGradientCollector()) {
            NDArray loss = parameters.values().stream()
                    .map(p -> p.square().sum()).reduce(NDArray::add).orElseThrow();
            collector.backward(loss);
        }
        GradientClipping.clipByGlobalNorm(parameters, 1.0);
        optimizer.step();
        optimizer.zeroGradients();
    }

    private NDArray parameter(double... values) {
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = (float) values[i];
        }
        NDArray parameter = manager.create(floats);
        parameter.setRequiresGradient(true);
        return parameter;
    }

    private static double[] toDoubles(float[] values) {
        double[] doubles = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            doubles[i] = values[i];
        }
        return doubles;
    }
}
