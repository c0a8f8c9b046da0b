package ai.collectiveagency.policy.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.policy.engine.OfflineEngine;
import ai.collectiveagency.policy.grpo.GrpoConfig;
import ai.collectiveagency.policy.grpo.GrpoInputs;
import ai.collectiveagency.policy.grpo.GrpoLoss;
import ai.collectiveagency.policy.grpo.LossAggregation;
import ai.collectiveagency.policy.grpo.RewardScaling;
import ai.collectiveagency.policy.model.Llama;
import ai.collectiveagency.policy.model.LlamaConfig;
import ai.collectiveagency.policy.model.RandomWeights;
import ai.collectiveagency.policy.scoring.TokenScorer;
import ai.collectiveagency.policy.scoring.TokenScores;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;
import java.util.OptionalDouble;
import java.util.SplittableRandom;

/**
 * Where Java can view the output head's logits (float32 on the CPU), the trainer's sliced
 * backward computes their log-softmax, its gradient and the entropies in Java. Its scores and
 * gradients must be the engine's (the whole loss back-propagated by autograd through the
 * engine's log-softmax), to float32 rounding: with the head untied (Llama) and tied to the
 * embedding (Qwen3), every weight trained. A vocabulary of 100 leaves a remainder after whole
 * vectors of 8 or 16 lanes; slices of 5 positions cut through sequences; old and reference
 * log-probs make a clipping that bites.
 */
class JavaSoftmaxBackwardTest {

    private static final int VOCAB = 100;
    private static final int BATCH = 3;
    private static final int LENGTH = 12;
    private static final int FROM = 3;
    private static final int WIDTH = LENGTH - 1 - FROM;

    @ParameterizedTest
    @EnumSource(LossAggregation.class)
    void javaSoftmaxGivesTheEnginesScoresAndGradients(LossAggregation aggregation) {
        javaSoftmaxGivesTheEnginesScoresAndGradients(TinyModels.llama(VOCAB), aggregation);
        javaSoftmaxGivesTheEnginesScoresAndGradients(TinyModels.qwen3(VOCAB), aggregation);
    }

    private static void javaSoftmaxGivesTheEnginesScoresAndGradients(LlamaConfig config,
            LossAggregation aggregation) {
        assertThat(config.tiedEmbeddings()).isEqualTo(config.modelType().equals("qwen3"));
        SplittableRandom random = new SplittableRandom(11);
        int[][] tokens = new int[BATCH][LENGTH];
        int[][] attention = new int[BATCH][LENGTH];
        for (int b = 0; b < BATCH; b++) {
            for (int t = 0; t < LENGTH; t++) {
                tokens[b][t] = random.nextInt(VOCAB);
                attention[b][t] = b == 0 && t < 2 ? 0 : 1; // the first row is left-padded
            }
        }
        try (NDManager root = OfflineEngine.manager()) {
            Llama model = new Llama(config, RandomWeights.parameters(config, 5,
                    root.newSubManager()));
            GrpoLoss loss = new GrpoLoss(
                    new GrpoConfig(0.05, 0.2, 0.28, aggregation, WIDTH, RewardScaling.GROUP));
            OptionalDouble normaliser = aggregation == LossAggregation.DAPO
                    ? OptionalDouble.of(BATCH * WIDTH + 4) : OptionalDouble.empty();
            NDManager m = root.newSubManager();
            Shape shape = new Shape(BATCH, WIDTH);
            float[] maskValues = new float[BATCH * WIDTH];
            for (int i = 0; i < maskValues.length; i++) {
                maskValues[i] = i % 7 == 3 ? 0 : 1;
            }
            NDArray mask = m.create(maskValues, shape);
            NDArray advantages = m.create(new float[] {1.2f, -0.5f, -0.8f});
            TokenScores own = new TokenScorer(model).score(m, tokens, attention, FROM, true,
                    true);
            NDArray old = ScoreChecks.moved(m, own.logprobs(), 0.4, random);
            NDArray ref = ScoreChecks.moved(m, own.logprobs(), 0.3, random);

            Map<String, double[]> whole = ModelGradients.of(model, collector -> {
                NDArray logprobs = new TokenScorer(model).score(m, tokens, attention, FROM,
                        true, false).logprobs();
                collector.backward(loss.compute(new GrpoInputs(logprobs, old, ref, mask,
                        advantages, normaliser)).loss());
            });
            float[][] sliced = new float[2][]; // log-probs, entropies
            Map<String, double[]> java = ModelGradients.of(model, collector -> {
                ScoredPositions positions = ScoredPositions.of(old, ref, mask, advantages,
                        loss.tokenWeights(mask, normaliser));
                TokenScores scores = new TokenScorer(model, 5).scoreAndBackward(m, tokens,
                        attention, FROM, true, true, collector, (logprobs, rows) ->
                                loss.weightedSum(positions.inputs(logprobs, rows),
                                        positions.weights(rows)));
                sliced[0] = scores.logprobs().toFloatArray();
                sliced[1] = scores.entropy().toFloatArray();
            });

            ScoreChecks.assertClose("log-probs", sliced[0], own.logprobs().toFloatArray(), 2e-5);
            ScoreChecks.assertClose("entropies", sliced[1], own.entropy().toFloatArray(), 2e-5);
            double total = ScoreChecks.assertGradientsMatch(whole, java);
            assertThat(total).as("a loss that moves the weights").isGreaterThan(1e-3);
        }
    }
}
