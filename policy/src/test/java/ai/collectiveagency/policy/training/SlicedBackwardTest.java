package ai.collectiveagency.policy.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;
import java.util.OptionalDouble;
import java.util.SplittableRandom;

/**
 * The trainer back-propagates its loss a slice of positions at a time (the output head's
 * log-softmax never held whole) and then the transformer once. Its gradients must be those of
 * the whole micro-batch's loss back-propagated at once, for every aggregation, with old and
 * reference log-probs and a clipping that bites; in float64, so that a difference is a wrong
 * weight or a lost path, not rounding. Slices of 4 positions cut through sequences.
 */
class SlicedBackwardTest {

    private static final int[][] TOKENS = {{0, 0, 5, 9, 2, 7, 3, 1}, {3, 11, 4, 4, 8, 1, 6, 2},
            {7, 7, 1, 12, 5, 9, 0, 4}};
    private static final int[][] ATTENTION = {{0, 0, 1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 1, 1, 1},
            {1, 1, 1, 1, 1, 1, 1, 1}};
    private static final int FROM = 2; // the first two targets are prompt
    private static final double TOKEN_NORMALISER = 23; // as if another micro-batch had 12 more

    @ParameterizedTest
    @EnumSource(LossAggregation.class)
    void slicesGiveTheGradientsOfTheWholeLoss(LossAggregation aggregation) {
        LlamaConfig config = TinyModels.qwen3(13);
        try (NDManager root = OfflineEngine.manager()) {
            Llama model = new Llama(config, ModelGradients.toFloat64(
                    RandomWeights.parameters(config, 3, root.newSubManager())));
            GrpoLoss loss = new GrpoLoss(
                    new GrpoConfig(0.05, 0.2, 0.28, aggregation, 5, RewardScaling.GROUP));
            OptionalDouble normaliser = aggregation == LossAggregation.DAPO
                    ? OptionalDouble.of(TOKEN_NORMALISER) : OptionalDouble.empty();
            NDManager m = root.newSubManager();
            Shape shape = new Shape(3, TOKENS[0].length - 1 - FROM);
            NDArray mask = m.create(new float[] {1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1},
                    shape).toType(DataType.FLOAT64, false);
            NDArray advantages = m.create(new double[] {1.3, -0.4, -0.9});
            SplittableRandom random = new SplittableRandom(4);
            NDArray old = logprobsNear(m, model, 0.4, random);
            NDArray ref = logprobsNear(m, model, 0.3, random);

            Map<String, double[]> whole = ModelGradients.of(model, collector -> {
                NDArray logp = new TokenScorer(model).score(m, TOKENS, ATTENTION, FROM, true,
                        false).logprobs();
                collector.backward(loss.compute(new GrpoInputs(logp, old, ref, mask, advantages,
                        normaliser)).loss());
            });
            Map<String, double[]> sliced = ModelGradients.of(model, collector -> {
                ScoredPositions positions = ScoredPositions.of(old, ref, mask, advantages,
                        loss.tokenWeights(mask, normaliser));
                new TokenScorer(model, 4).scoreAndBackward(m, TOKENS, ATTENTION, FROM, true,
                        false, collector, (logprobs, rows) -> loss.weightedSum(
                                positions.inputs(logprobs, rows), positions.weights(rows)));
            });
            whole.forEach((name, expected) -> {
                double[] actual = sliced.get(name);
                for (int i = 0; i < expected.length; i++) {
                    assertThat(actual[i]).as("d loss / d %s[%d]", name, i)
                            .isCloseTo(expected[i], within(1e-12 + 1e-9 * Math.abs(expected[i])));
                }
            });
            assertThat(whole.values().stream().mapToDouble(g -> ModelGradients.norm(g)).sum())
                    .as("a loss that moves the weights").isGreaterThan(1e-3);
        }
    }

    /** The model's own log-probs moved by up to {@code spread}: some ratios leave the clip. */
    private static NDArray logprobsNear(NDManager m, Llama model, double spread,
            SplittableRandom random) {
        double[] logp = new TokenScorer(model).score(m, TOKENS, ATTENTION, FROM, true, false)
                .logprobs().stopGradient().toDoubleArray();
        for (int i = 0; i < logp.length; i++) {
            logp[i] += spread * (2 * random.nextDouble() - 1);
        }
        return m.create(logp, new Shape(3, TOKENS[0].length - 1 - FROM));
    }
}
