package ai.collectiveagency.policy.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.policy.engine.NoGradient;
import ai.collectiveagency.policy.engine.OfflineEngine;
import ai.collectiveagency.policy.grpo.GrpoConfig;
import ai.collectiveagency.policy.grpo.GrpoLoss;
import ai.collectiveagency.policy.grpo.LossAggregation;
import ai.collectiveagency.policy.grpo.RewardScaling;
import ai.collectiveagency.policy.lora.LoraAdapter;
import ai.collectiveagency.policy.lora.LoraConfig;
import ai.collectiveagency.policy.model.Llama;
import ai.collectiveagency.policy.model.LlamaConfig;
import ai.collectiveagency.policy.model.RandomWeights;
import ai.collectiveagency.policy.model.RecordedAttention;
import ai.collectiveagency.policy.scoring.HeadProducts;
import ai.collectiveagency.policy.scoring.TokenScorer;
import ai.collectiveagency.policy.scoring.TokenScores;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A training pass with attention in Java ({@link RecordedAttention#JAVA}: its forward and
 * backward outside autograd's graph, the graph cut around it) against the engine's, through the
 * trainer's scorer: log-probs, entropies and every trained weight's gradient agree to float32
 * rounding. Two models of the same weights, one per backend; Llama (head_dim 8, narrower than a
 * vector), Qwen3 (q/k norms, head_dim 16) and heads of 64, GQA with two query heads per KV head;
 * full fine-tuning and LoRA (the base frozen, the embedding's output then needing no gradient);
 * the output head's products by either ({@link HeadProducts}), over 570 positions in slices of
 * 100, and 600 tokens, enough for the projections' convolutions where they are the default. The
 * rows are left-padded, right-padded, with a hole, and whole, so every mask path runs; scores at
 * positions that are padding or that read padding are not compared (each backend fills a
 * query that sees no key in its own way, and nothing reads it).
 */
class JavaTrainingAttentionTest {

    private static final int VOCAB = 60;
    private static final int BATCH = 5;
    private static final int LENGTH = 120; // two blocks of queries, the last partial
    private static final int FROM = 5;
    private static final int WIDTH = LENGTH - 1 - FROM; // 570 positions: the Java head's too
    private static final int SLICE_ROWS = 100;

    private final String propertyBefore = System.getProperty(RecordedAttention.PROPERTY);

    @AfterEach
    void restoreProperty() {
        if (propertyBefore == null) {
            System.clearProperty(RecordedAttention.PROPERTY);
        } else {
            System.setProperty(RecordedAttention.PROPERTY, propertyBefore);
        }
    }

    @ParameterizedTest(name = "{0}, LoRA {1}, head {2}")
    @CsvSource({"llama, false, JAVA", "llama, true, ENGINE", "qwen3, false, ENGINE",
        "qwen3, true, JAVA", "wide, false, JAVA", "wide, true, ENGINE"})
    void javaAttentionGivesTheEnginesScoresAndGradients(String family, boolean lora,
            HeadProducts head) {
        LlamaConfig config = switch (family) {
            case "qwen3" -> TinyModels.qwen3(VOCAB);
            // heads of 64, a whole number of vectors: the products' full tiles
            case "wide" -> new LlamaConfig("llama", 128, 96, 2, 2, 1, 64, VOCAB, 128, 1e-5,
                    10000, false, false, null);
            default -> TinyModels.llama(VOCAB);
        };
        SplittableRandom random = new SplittableRandom(23);
        int[][] tokens = new int[BATCH][LENGTH];
        int[][] attention = new int[BATCH][LENGTH];
        for (int b = 0; b < BATCH; b++) {
            for (int t = 0; t < LENGTH; t++) {
                tokens[b][t] = random.nextInt(VOCAB);
                boolean padding = (b == 0 && t < 7) // left-padded
                        || (b == 1 && t >= LENGTH - 6) // right-padded
                        || (b == 2 && (t == 12 || t == 13)); // a hole
                attention[b][t] = padding ? 0 : 1;
            }
        }
        float[] maskValues = lossMask(attention);
        Map<RecordedAttention, float[][]> scores = new EnumMap<>(RecordedAttention.class);
        Map<RecordedAttention, Map<String, double[]>> gradients =
                new EnumMap<>(RecordedAttention.class);
        try (NDManager root = OfflineEngine.manager()) {
            for (RecordedAttention backend : RecordedAttention.values()) {
                System.setProperty(RecordedAttention.PROPERTY, backend.name());
                Llama model = new Llama(config, RandomWeights.parameters(config, 5,
                        root.newSubManager()));
                assertThat(model.recordedAttention()).as("who attends").isEqualTo(backend);
                LoraAdapter adapter = lora ? adapter(model) : null;
                NDManager m = root.newSubManager();
                GrpoLoss loss = new GrpoLoss(new GrpoConfig(0.0, 0.2, 0.28,
                        LossAggregation.DAPO, WIDTH, RewardScaling.GROUP));
                Shape shape = new Shape(BATCH, WIDTH);
                NDArray mask = m.create(maskValues, shape);
                NDArray advantages = m.create(new float[] {1.2f, -0.5f, -0.8f, 0.3f, 0.6f});
                TokenScorer scorer = new TokenScorer(model, SLICE_ROWS, head);
                float[][] scored = new float[2][];
                gradients.put(backend, gradients(model, adapter, collector -> {
                    NDArray old = ScoreChecks.moved(m, m.create(new float[BATCH * WIDTH],
                            shape), 0.4, new SplittableRandom(3));
                    ScoredPositions positions = ScoredPositions.of(old, null, mask,
                            advantages, loss.tokenWeights(mask, OptionalDouble.of(
                                    BATCH * WIDTH)));
                    TokenScores s = scorer.scoreAndBackward(m, tokens, attention, FROM, true,
                            true, collector, (logprobs, rows) -> loss.weightedSum(
                                    positions.inputs(logprobs, rows), positions.weights(rows)));
                    scored[0] = masked(s.logprobs().toFloatArray(), maskValues);
                    scored[1] = masked(s.entropy().toFloatArray(), maskValues);
                }));
                scores.put(backend, scored);
                assertThat(scorer.lastAttention()).as("who attended").isEqualTo(backend);
                assertThat(scorer.lastHead()).as("the head that ran").isEqualTo(head);
                if (adapter != null) {
                    model.setAdapter(null);
                    adapter.close();
                }
            }
        }
        float[][] engine = scores.get(RecordedAttention.ENGINE);
        float[][] java = scores.get(RecordedAttention.JAVA);
        ScoreChecks.assertClose("log-probs", java[0], engine[0], 2e-5);
        ScoreChecks.assertClose("entropies", java[1], engine[1], 2e-5);
        Map<String, double[]> expected = gradients.get(RecordedAttention.ENGINE);
        assertThat(expected.keySet()).as("what trains").allMatch(name -> lora
                == name.contains("lora_"));
        assertThat(ScoreChecks.assertGradientsMatch(expected,
                gradients.get(RecordedAttention.JAVA)))
                .as("a loss that moves the weights").isGreaterThan(1e-3);
    }

    /**
     * 1 where position from + 1 + w predicts a real token from real tokens only (every input up
     * to it real, so no query on the way sees no key in one backend and some in the other).
     */
    private static float[] lossMask(int[][] attention) {
        float[] mask = new float[BATCH * WIDTH];
        for (int b = 0; b < BATCH; b++) {
            for (int w = 0; w < WIDTH; w++) {
                int target = FROM + 1 + w;
                boolean real = attention[b][target] != 0 && attention[b][target - 1] != 0;
                mask[b * WIDTH + w] = real && w % 5 != 2 ? 1 : 0;
            }
        }
        return mask;
    }

    private static float[] masked(float[] values, float[] mask) {
        float[] out = values.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] *= mask[i];
        }
        return out;
    }

    /** A LoRA adapter on every projection, B random so that A gets gradients too. */
    private static LoraAdapter adapter(Llama model) {
        LoraAdapter adapter = LoraAdapter.initialize(model, LoraConfig.of(4, 8));
        model.setAdapter(adapter);
        SplittableRandom random = new SplittableRandom(9);
        try (NoGradient noGradient = new NoGradient()) {
            adapter.parameters().forEach((name, p) -> {
                if (name.contains("lora_B")) {
                    float[] values = new float[Math.toIntExact(p.size())];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = (float) (random.nextGaussian() * 0.05);
                    }
                    p.set(values);
                }
            });
        }
        return adapter;
    }

    /** Every trained weight's gradient, by name, of what {@code backward} differentiates. */
    private static Map<String, double[]> gradients(Llama model, LoraAdapter adapter,
            java.util.function.Consumer<GradientCollector> backward) {
        Map<String, NDArray> trained = adapter != null ? adapter.parameters()
                : model.parameters().asMap();
        if (adapter != null) {
            adapter.setTrainable(true);
        } else {
            model.parameters().setTrainable(true);
        }
        try {
            return ScoreChecks.gradientsOf(trained, backward);
        } finally {
            model.parameters().setTrainable(false);
            if (adapter != null) {
                adapter.setTrainable(false);
            }
        }
    }
}
