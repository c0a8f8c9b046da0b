package ai.collectiveagency.policy.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.policy.engine.NoGradient;
import ai.collectiveagency.policy.engine.OfflineEngine;
import ai.collectiveagency.policy.grpo.GrpoConfig;
import ai.collectiveagency.policy.grpo.GrpoLoss;
import ai.collectiveagency.policy.grpo.LossAggregation;
import ai.collectiveagency.policy.grpo.RewardScaling;
import ai.collectiveagency.policy.model.Llama;
import ai.collectiveagency.policy.model.LlamaConfig;
import ai.collectiveagency.policy.model.RandomWeights;
import ai.collectiveagency.policy.scoring.HeadProducts;
import ai.collectiveagency.policy.scoring.TokenScorer;
import ai.collectiveagency.policy.scoring.TokenScores;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The output head's products in Java ({@link HeadProducts#JAVA}: the logits, the final
 * hidden states' gradient and the head's own gradient) against the engine's, in the
 * trainer's sliced backward over 545 scored positions (past the Java head's minimum): log-probs,
 * entropies and every trained weight's gradient agree to float32 rounding. With the head untied
 * (Llama) and tied to the embedding (Qwen3), trained (full fine-tuning) and frozen (as under
 * LoRA: the head gets no gradient, the rest does). A vocabulary of 100 and hidden states of 32
 * leave partial panels of the packed head both ways; slices of 100 positions leave a remainder.
 * The Java scorer is kept for a second pass after the head's weights changed in place, as a
 * trainer keeps it from step to step: it must pack the head anew.
 */
class JavaHeadBackwardTest {

    private static final int VOCAB = 100;
    private static final int BATCH = 5;
    private static final int LENGTH = 120;
    private static final int FROM = 10;
    private static final int WIDTH = LENGTH - 1 - FROM;
    private static final int SLICE_ROWS = 100;

    @ParameterizedTest(name = "{0}, head trained {1}")
    @CsvSource({"llama, true", "llama, false", "qwen3, true", "qwen3, false"})
    void theJavaHeadGivesTheEnginesScoresAndGradients(String family, boolean headTrained) {
        LlamaConfig config = family.equals("qwen3") ? TinyModels.qwen3(VOCAB)
                : TinyModels.llama(VOCAB);
        SplittableRandom random = new SplittableRandom(17);
        int[][] tokens = new int[BATCH][LENGTH];
        int[][] attention = new int[BATCH][LENGTH];
        for (int b = 0; b < BATCH; b++) {
            for (int t = 0; t < LENGTH; t++) {
                tokens[b][t] = random.nextInt(VOCAB);
                attention[b][t] = b == 0 && t < 4 ? 0 : 1; // the first row is left-padded
            }
        }
        try (NDManager root = OfflineEngine.manager()) {
            Llama model = new Llama(config, RandomWeights.parameters(config, 5,
                    root.newSubManager()));
            GrpoLoss loss = new GrpoLoss(new GrpoConfig(0.0, 0.2, 0.28, LossAggregation.DAPO,
                    WIDTH, RewardScaling.GROUP));
            OptionalDouble normaliser = OptionalDouble.of(BATCH * WIDTH);
            NDManager m = root.newSubManager();
            Shape shape = new Shape(BATCH, WIDTH);
            float[] maskValues = new float[BATCH * WIDTH];
            for (int i = 0; i < maskValues.length; i++) {
                maskValues[i] = i % 7 == 3 ? 0 : 1;
            }
            NDArray mask = m.create(maskValues, shape);
            NDArray advantages = m.create(new float[] {1.2f, -0.5f, -0.8f, 0.3f, 0.6f});
            TokenScores own = new TokenScorer(model).score(m, tokens, attention, FROM, true,
                    true);
            NDArray old = ScoreChecks.moved(m, own.logprobs(), 0.4, random);
            ScoredPositions positions = ScoredPositions.of(old, null, mask, advantages,
                    loss.tokenWeights(mask, normaliser));
            TokenScorer kept = new TokenScorer(model, SLICE_ROWS, HeadProducts.JAVA);
            float[] firstPass = null;
            for (int pass = 0; pass < 2; pass++) {
                if (pass == 1) {
                    try (NoGradient noGradient = new NoGradient()) {
                        model.outputHead().muli(1.5f);
                    }
                }
                Map<HeadProducts, float[][]> scores = new LinkedHashMap<>();
                Map<HeadProducts, Map<String, double[]>> gradients = new LinkedHashMap<>();
                for (HeadProducts head : HeadProducts.values()) {
                    TokenScorer scorer = head == HeadProducts.JAVA ? kept
                            : new TokenScorer(model, SLICE_ROWS, head);
                    float[][] scored = new float[2][];
                    gradients.put(head, gradients(model, headTrained, collector -> {
                        TokenScores s = scorer.scoreAndBackward(m, tokens, attention, FROM,
                                true, true, collector, (logprobs, rows) -> loss.weightedSum(
                                        positions.inputs(logprobs, rows),
                                        positions.weights(rows)));
                        scored[0] = s.logprobs().toFloatArray();
                        scored[1] = s.entropy().toFloatArray();
                    }));
                    scores.put(head, scored);
                    assertThat(scorer.lastHead()).as("the head that ran").isEqualTo(head);
                }
                assertSame(config, headTrained, scores, gradients);
                if (pass == 0) {
                    firstPass = scores.get(HeadProducts.JAVA)[0];
                } else {
                    assertThat(scores.get(HeadProducts.JAVA)[0]).as("log-probs of the new head")
                            .isNotEqualTo(firstPass);
                }
            }
        }
    }

    /** The Java head's scores and gradients are the engine's, to float32 rounding. */
    private static void assertSame(LlamaConfig config, boolean headTrained,
            Map<HeadProducts, float[][]> scores,
            Map<HeadProducts, Map<String, double[]>> gradients) {
        float[][] engine = scores.get(HeadProducts.ENGINE);
        float[][] java = scores.get(HeadProducts.JAVA);
        ScoreChecks.assertClose("log-probs", java[0], engine[0], 2e-5);
        ScoreChecks.assertClose("entropies", java[1], engine[1], 2e-5);
        Map<String, double[]> expected = gradients.get(HeadProducts.ENGINE);
        String head = config.tiedEmbeddings() ? "model.embed_tokens.weight" : "lm_head.weight";
        assertThat(expected.containsKey(head)).as("the head trained").isEqualTo(headTrained);
        assertThat(ScoreChecks.assertGradientsMatch(expected, gradients.get(HeadProducts.JAVA)))
                .as("a loss that moves the weights").isGreaterThan(1e-3);
    }

    /**
     * Every weight's gradient, by name, of what {@code backward} differentiates; the head (and
     * with it a tied embedding) is left out and frozen unless {@code headTrained}.
     */
    private static Map<String, double[]> gradients(Llama model, boolean headTrained,
            java.util.function.Consumer<GradientCollector> backward) {
        model.parameters().setTrainable(true);
        NDArray head = model.outputHead();
        if (!headTrained) {
            head.setRequiresGradient(false);
        }
        try {
            Map<String, NDArray> trained = new LinkedHashMap<>();
            model.parameters().asMap().forEach((name, p) -> {
                if (p.hasGradient()) {
                    trained.put(name, p);
                }
            });
            return ScoreChecks.gradientsOf(trained, backward);
        } finally {
            model.parameters().setTrainable(false);
        }
    }
}
