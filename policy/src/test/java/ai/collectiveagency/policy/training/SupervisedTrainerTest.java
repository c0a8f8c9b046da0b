package ai.collectiveagency.policy.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.policy.engine.OfflineEngine;
import ai.collectiveagency.policy.model.Llama;
import ai.collectiveagency.policy.model.LlamaConfig;
import ai.collectiveagency.policy.model.RandomWeights;
import ai.collectiveagency.policy.optim.AdamW;
import ai.collectiveagency.policy.optim.AdamWConfig;
import ai.collectiveagency.policy.optim.ScheduleConfig;
import ai.collectiveagency.policy.scoring.TokenScorer;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The warm-up's supervised step: cross-entropy on the masked reply tokens only. */
class SupervisedTrainerTest {

    // Two right-padded rows: prompt tokens, then a reply the loss sees (mask 1), then padding.
    private static final int[][] TOKENS = {{1, 2, 3, 4, 5, 6}, {7, 8, 9, 10, 0, 0}};
    private static final int[][] ATTENTION = {{1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 0, 0}};
    private static final float[][] MASK = {{0, 0, 1, 1, 1}, {0, 1, 1, 0, 0}};

    @Test
    void lossIsTheMeanNegativeLogProbabilityOfTheMaskedTargets() {
        try (NDManager root = OfflineEngine.manager();
                Llama model = RandomWeights.model(TinyModels.llama(16), 3, root)) {
            float[][] logprobs = new TokenScorer(model).logprobs(TOKENS, ATTENTION);
            double expected = -(logprobs[0][2] + logprobs[0][3] + logprobs[0][4]
                    + logprobs[1][1] + logprobs[1][2]) / 5;

            SupervisedTrainer.Step step = train(model, 1e-3, 1).get(0);

            assertThat(step.tokens()).isEqualTo(5);
            assertThat(step.loss()).isCloseTo(expected, within(1e-4));
        }
    }

    @Test
    void splittingTheRowsIntoMicroBatchesGivesTheSameLoss() {
        try (NDManager root = OfflineEngine.manager();
                Llama whole = RandomWeights.model(TinyModels.llama(16), 3, root);
                Llama split = RandomWeights.model(TinyModels.llama(16), 3, root)) {
            whole.parameters().setTrainable(true);
            split.parameters().setTrainable(true);
            try (AdamW a = new AdamW(whole.parameters().asMap(), AdamWConfig.torchDefaults(1e-3),
                    ScheduleConfig.constant());
                    AdamW b = new AdamW(split.parameters().asMap(),
                            AdamWConfig.torchDefaults(1e-3), ScheduleConfig.constant())) {
                var one = new SupervisedTrainer(whole, a, 1e9).step(List.of(batch(0, 2)));
                var two = new SupervisedTrainer(split, b, 1e9).step(List.of(batch(0, 1),
                        batch(1, 2)));
                assertThat(two.loss()).isCloseTo(one.loss(), within(1e-5));
                assertThat(two.gradNorm())
                        .isCloseTo(one.gradNorm(), within(1e-3 * one.gradNorm()));
            }
        }
    }

    static Stream<LlamaConfig> models() {
        return Stream.of(TinyModels.llama(16), TinyModels.qwen3(16));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void repeatedStepsTeachTheModelItsReplies(LlamaConfig shape) {
        try (NDManager root = OfflineEngine.manager();
                Llama model = RandomWeights.model(shape, 3, root)) {
            List<SupervisedTrainer.Step> steps = train(model, 1e-2, 60);

            assertThat(steps.get(0).loss()).isGreaterThan(2.0); // about log 16 at the start
            assertThat(steps.get(59).loss()).isLessThan(0.2);
        }
    }

    private static List<SupervisedTrainer.Step> train(Llama model, double lr, int steps) {
        model.parameters().setTrainable(true);
        try (AdamW optimizer = new AdamW(model.parameters().asMap(),
                AdamWConfig.torchDefaults(lr), ScheduleConfig.constant())) {
            SupervisedTrainer trainer = new SupervisedTrainer(model, optimizer, 1e9);
            return IntStream.range(0, steps)
                    .mapToObj(i -> trainer.step(List.of(batch(0, 2)))).toList();
        }
    }

    private static TrainingBatch batch(int from, int to) {
        return new TrainingBatch(Arrays.copyOfRange(TOKENS, from, to),
                Arrays.copyOfRange(ATTENTION, from, to), Arrays.copyOfRange(MASK, from, to), null,
                new double[to - from]);
    }
}
