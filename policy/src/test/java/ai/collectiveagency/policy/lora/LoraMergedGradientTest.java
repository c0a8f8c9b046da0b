package ai.collectiveagency.policy.lora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.policy.engine.OfflineEngine;
import ai.collectiveagency.policy.fixtures.Fixtures;
import ai.collectiveagency.policy.model.Llama;
import ai.collectiveagency.policy.scoring.TokenScorer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The adapter's gradients through the model, where each projection's delta is added in place
 * into its fresh output (with Qwen2's q/k/v biases the output is a view of the biased product),
 * against the chain rule through the merged weight W' = W + s·B·A: dB = s·dW'·Aᵀ and dA =
 * s·Bᵀ·dW'. A lost or doubled contribution of the delta or of the base shows at once.
 */
class LoraMergedGradientTest {

    @ParameterizedTest
    @ValueSource(strings = {"stories260k", "qwen2-tiny-random"})
    void adapterGradientsAreTheMergedWeightsGradientsThroughTheFactors(String fixture) {
        try (Llama model = Llama.load(Fixtures.shipped(fixture));
                LoraAdapter lora = LoraAdapter.initialize(model, LoraConfig.of(4, 8))) {
            LoraFixtures.randomizeB(lora, 3, 0.05f);
            model.setAdapter(lora);
            lora.setTrainable(true);
            int[][] tokens = new int[2][11];
            SplittableRandom random = new SplittableRandom(17);
            for (int[] row : tokens) {
                Arrays.setAll(row, i -> random.nextInt(model.config().vocabSize()));
            }
            int[][] attention = {LoraFixtures.ones(11), LoraFixtures.ones(11)};
            attention[1][0] = 0; // a left-padded row
            try (Llama merged = LoraMerge.merged(model, lora)) {
                merged.parameters().setTrainable(true);
                backward(model, tokens, attention);
                backward(merged, tokens, attention);
                double scaling = lora.config().scaling();
                Map<String, NDArray> mergedWeights = merged.parameters().asMap();
                assertThat(lora.byProjection()).hasSize(model.config().numLayers() * 7);
                lora.byProjection().forEach((prefix, factors) -> {
                    try (NDManager m = OfflineEngine.manager().newSubManager()) {
                        NDArray dW = float64(m, mergedWeights.get(prefix + ".weight")
                                .getGradient());
                        NDArray a = float64(m, factors.a());
                        NDArray b = float64(m, factors.b());
                        assertClose(prefix + " lora_B", float64(m, factors.b().getGradient()),
                                dW.matMul(a.transpose()).mul(scaling));
                        assertClose(prefix + " lora_A", float64(m, factors.a().getGradient()),
                                b.transpose().matMul(dW).mul(scaling));
                    }
                });
            } finally {
                model.parameters().setTrainable(false);
            }
        }
    }

    /** Back-propagates the sum of the log-probs of the real targets. */
    private static void backward(Llama model, int[][] tokens, int[][] attention) {
        try (NDManager step = model.newStepManager();
                GradientCollector collector = OfflineEngine.start().newGradientCollector()) {
            NDArray logprobs = new TokenScorer(model).score(step, tokens, attention, true, false)
                    .logprobs();
            float[][] realTargets = new float[tokens.length][tokens[0].length - 1];
            for (int b = 0; b < tokens.length; b++) {
                for (int t = 1; t < tokens[b].length; t++) {
                    realTargets[b][t - 1] = attention[b][t];
                }
            }
            NDArray real = step.create(realTargets);
            collector.backward(logprobs.mul(real).sum());
        }
    }

    private static NDArray float64(NDManager m, NDArray array) {
        return m.create(array.toType(DataType.FLOAT64, false).toDoubleArray(), array.getShape());
    }

    private static void assertClose(String what, NDArray actual, NDArray expected) {
        double[] got = actual.toDoubleArray();
        double[] want = expected.toDoubleArray();
        double scale = Arrays.stream(want).map(Math::abs).max().orElse(0);
        assertThat(scale).as("%s: a gradient to compare", what).isGreaterThan(0);
        for (int i = 0; i < got.length; i++) {
            assertThat(got[i]).as("%s[%d]", what, i).isCloseTo(want[i], within(1e-3 * scale));
        }
    }
}
