package ai.collectiveagency.policy.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.policy.engine.OfflineEngine;
import ai.collectiveagency.policy.model.Llama;
import ai.collectiveagency.policy.model.LlamaConfig;
import ai.collectiveagency.policy.model.ModelParameters;
import ai.collectiveagency.policy.model.RandomWeights;
import ai.collectiveagency.policy.scoring.TokenScorer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * The whole model's backward pass (embedding, RMSNorm, rotary, GQA attention with padding,
 * SwiGLU, head, log-softmax; Qwen2's q/k/v biases, Qwen3's per-head q/k norms) against central
 * finite differences, in float64.
 */
class GradientCheckTest {

    private static final int[][] TOKENS = {{0, 0, 5, 9, 2, 7}, {3, 11, 4, 4, 8, 1}};
    private static final int[][] ATTENTION = {{0, 0, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 1}};

    static Stream<LlamaConfig> models() {
        return Stream.of(TinyModels.qwen2(13), TinyModels.qwen3(13));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void backwardMatchesFiniteDifferencesForEveryKindOfWeight(LlamaConfig config) {
        try (NDManager root = OfflineEngine.manager()) {
            Llama model = new Llama(config, toFloat64(
                    RandomWeights.parameters(config, 3, root.newSubManager())));
            NDArray weights = root.randomNormal(new Shape(2, 5)).toType(DataType.FLOAT64, false);
            SplittableRandom random = new SplittableRandom(11);
            for (Map.Entry<String, NDArray> p : model.parameters().asMap().entrySet()) {
                int index = random.nextInt((int) p.getValue().size());
                double numeric = numericGradient(model, weights, p.getValue(), index);
                double analytic = analyticGradient(model, weights, p.getValue(), index);
                assertThat(analytic).as("d loss / d %s[%d]", p.getKey(), index)
                        .isCloseTo(numeric, org.assertj.core.api.Assertions.within(
                                1e-7 + 1e-5 * Math.abs(numeric)));
            }
        }
    }

    /** loss = sum(w * logp) over real targets: every position and both rows matter. */
    private static double loss(Llama model, NDArray weights) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray logp = new TokenScorer(model).score(weights.getManager(), TOKENS, ATTENTION,
                    true, false).logprobs();
            return logp.mul(weights).mul(targetMask(weights.getManager())).sum().getDouble();
        }
    }

    private static NDArray targetMask(NDManager manager) {
        return manager.create(new double[][] {{0, 0, 1, 1, 1}, {1, 1, 1, 1, 1}});
    }

    private static double numericGradient(Llama model, NDArray weights, NDArray p, int index) {
        double h = 1e-6;
        double[] values = p.toDoubleArray();
        double original = values[index];
        values[index] = original + h;
        p.set(values);
        double plus = loss(model, weights);
        values[index] = original - h;
        p.set(values);
        double minus = loss(model, weights);
        values[index] = original;
        p.set(values);
        return (plus - minus) / (2 * h);
    }

    private static double analyticGradient(Llama model, NDArray weights, NDArray p, int index) {
        p.setRequiresGradient(true);
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            try (GradientCollector collector = OfflineEngine.start().newGradientCollector()) {
                NDArray logp = new TokenScorer(model).score(weights.getManager(), TOKENS,
                        ATTENTION, true, false).logprobs();
                collector.backward(logp.mul(weights).mul(targetMask(weights.getManager()))
                        .sum());
            }
            return p.getGradient().toDoubleArray()[index];
        } finally {
            p.setRequiresGradient(false);
        }
    }

    private static ModelParameters toFloat64(ModelParameters float32) {
        Map<String, NDArray> converted = new LinkedHashMap<>();
        float32.asMap().forEach((name, a) -> converted.put(name, a.toType(DataType.FLOAT64,
                true)));
        return new ModelParameters(float32.manager(), converted);
    }
}
