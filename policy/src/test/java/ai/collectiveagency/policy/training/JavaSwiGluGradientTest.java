package ai.collectiveagency.policy.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.policy.engine.OfflineEngine;
import ai.collectiveagency.policy.model.Llama;
import ai.collectiveagency.policy.model.LlamaConfig;
import ai.collectiveagency.policy.model.RandomWeights;
import ai.collectiveagency.policy.scoring.TokenScorer;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * A float32 model trains through SwiGLU's Java derivatives ({@code JavaSwiGlu}); the same
 * weights in float64 take the engine's chain. Every weight's gradient of the sequences'
 * log-likelihood must agree to float32 rounding: a lost path (no gradient reaching the gate
 * projection) or a wrong derivative moves the MLP's weights far more.
 */
class JavaSwiGluGradientTest {

    private static final int VOCAB = 60;

    @Test
    void float32TrainingThroughJavaSwiGluGetsTheFloat64EngineGradients() {
        LlamaConfig config = TinyModels.llama(VOCAB);
        SplittableRandom random = new SplittableRandom(3);
        int[][] tokens = new int[3][10];
        int[][] attention = new int[3][10];
        for (int b = 0; b < tokens.length; b++) {
            for (int t = 0; t < tokens[b].length; t++) {
                tokens[b][t] = random.nextInt(VOCAB);
                attention[b][t] = 1;
            }
        }
        try (NDManager root = OfflineEngine.manager()) {
            Llama float32 = new Llama(config, RandomWeights.parameters(config, 7,
                    root.newSubManager()));
            Llama float64 = new Llama(config, ModelGradients.toFloat64(float32.parameters()));
            NDManager m = root.newSubManager();
            Map<String, double[]> java = ModelGradients.of(float32, collector -> collector
                    .backward(new TokenScorer(float32).score(m, tokens, attention, true, false)
                            .logprobs().sum()));
            Map<String, double[]> engine = ModelGradients.of(float64, collector -> collector
                    .backward(new TokenScorer(float64).score(m, tokens, attention, true, false)
                            .logprobs().sum()));

            assertThat(java.keySet()).anyMatch(name -> name.contains("gate_proj"));
            engine.forEach((name, expected) -> {
                double[] actual = java.get(name);
                double difference = 0;
                for (int i = 0; i < expected.length; i++) {
                    difference += (actual[i] - expected[i]) * (actual[i] - expected[i]);
                }
                double scale = ModelGradients.norm(expected);
                assertThat(scale).as("|d loss / d %s|", name).isGreaterThan(0);
                assertThat(Math.sqrt(difference)).as("|d loss / d %s - float64 engine's|", name)
                        .isLessThanOrEqualTo(1e-4 * scale);
            });
        }
    }
}
