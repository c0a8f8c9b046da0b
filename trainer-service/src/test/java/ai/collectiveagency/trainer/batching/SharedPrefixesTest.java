package ai.collectiveagency.trainer.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.policy.training.StepResult;
import ai.collectiveagency.schemas.Segment;
import ai.collectiveagency.trainer.TestConfigs;
import ai.collectiveagency.trainer.config.TrainerConfig;
import ai.collectiveagency.trainer.loop.PolicyUnderTraining;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Turns whose prompt continues an earlier turn are scored in one sequence, and the step that
 * results is the step on separate rows: same loss, same gradients, same weights after.
 */
class SharedPrefixesTest {

    private static int[] ids(int... values) {
        return values;
    }

    private static int[] concat(int[]... parts) {
        return IntStream.range(0, parts.length).flatMap(i -> IntStream.of(parts[i])).toArray();
    }

    private static TrainingRow row(int[] prompt, int[] completion, double advantage) {
        float[] logprobs = new float[completion.length];
        for (int k = 0; k < logprobs.length; k++) {
            logprobs[k] = -0.5f - completion[k] / 100f;
        }
        return new TrainingRow("t", Segment.PERSONA_A, prompt, completion, logprobs, advantage);
    }

    @Test
    void aTurnWhosePromptContinuesAnEarlierOneJoinsItsSequence() {
        TrainingRow first = row(ids(1, 2, 3), ids(40, 41), 0.7);
        TrainingRow other = row(ids(1, 2, 9), ids(50), 0.7); // another trajectory: diverges
        TrainingRow second = row(concat(ids(1, 2, 3), ids(40, 41), ids(7, 8)), ids(60, 61, 62),
                0.7);

        List<TrainingSequence> sequences = SharedPrefixes.merge(List.of(first, other, second));

        assertThat(sequences).hasSize(2);
        TrainingSequence merged = sequences.get(0);
        assertThat(merged.tokens()).containsExactly(1, 2, 3, 40, 41, 7, 8, 60, 61, 62);
        assertThat(merged.turns()).isEqualTo(2);
        // target t predicts tokens[t + 1]: 40, 41 are targets 2, 3; 60, 61, 62 are 6, 7, 8
        assertThat(merged.lossMask()).containsExactly(0, 0, 1, 1, 0, 0, 1, 1, 1);
        float[] a = first.behaviourLogprobs();
        float[] b = second.behaviourLogprobs();
        assertThat(merged.behaviourLogprobs()).containsExactly(0, 0, a[0], a[1], 0, 0, b[0],
                b[1], b[2]);
        assertThat(sequences.get(1).tokens()).containsExactly(1, 2, 9, 50);
    }

    @Test
    void turnsWithDifferentAdvantagesOrRewrittenContextsStayApart() {
        TrainingRow first = row(ids(1, 2, 3), ids(40, 41), 0.7);
        TrainingRow otherAdvantage = row(concat(ids(1, 2, 3), ids(40, 41), ids(7)), ids(60), 0.2);
        TrainingRow rewritten = row(concat(ids(1, 2, 3), ids(40, 42), ids(7)), ids(61), 0.7);

        List<TrainingSequence> sequences = SharedPrefixes.merge(
                List.of(first, otherAdvantage, rewritten));

        assertThat(sequences).hasSize(3).allSatisfy(s -> assertThat(s.turns()).isEqualTo(1));
        assertThat(SharedPrefixes.separate(List.of(first, otherAdvantage)))
                .extracting(TrainingSequence::length).containsExactly(5, 7);
    }

    /**
     * Three-turn dialogues of two trajectories (each turn's prompt the previous sequence plus
     * the other side's reply) and a resolution row: merged, they are 2 sequences plus the
     * resolution instead of 7 rows, and one optimiser step on either gives the same loss and
     * the same adapter weights.
     */
    @Test
    void aStepOnMergedTurnsEqualsTheStepOnSeparateRows() {
        TrainerConfig config = TestConfigs.config(Map.of("trainer.learning-rate", "1e-2",
                "trainer.lora.rank", "4", "trainer.lora.alpha", "8",
                "trainer.micro-batch-rows", "2", "trainer.aggregation", "dapo"));
        Random random = new Random(7);
        List<TrainingRow> rows = new ArrayList<>();
        for (int trajectory = 0; trajectory < 2; trajectory++) {
            double advantage = trajectory == 0 ? 0.8 : -0.6;
            int[] context = randomIds(random, 12);
            for (int turn = 0; turn < 3; turn++) {
                int[] completion = randomIds(random, 5 + turn);
                rows.add(row(context, completion, advantage));
                context = concat(context, completion, randomIds(random, 4));
            }
        }
        rows.add(row(randomIds(random, 20), randomIds(random, 6), 0.8));

        List<TrainingSequence> merged = SharedPrefixes.merge(rows);
        assertThat(merged).hasSize(3);

        Result separate = step(config, SharedPrefixes.separate(rows));
        Result joined = step(config, merged);
        assertThat(joined.step().tokens()).isEqualTo(separate.step().tokens());
        assertThat(joined.step().loss()).isCloseTo(separate.step().loss(), within(1e-6));
        assertThat(joined.step().gradNorm()).isCloseTo(separate.step().gradNorm(),
                within(1e-5 * separate.step().gradNorm()));
        assertThat(joined.weights().keySet()).containsExactlyElementsOf(
                separate.weights().keySet());
        separate.weights().forEach((name, expected) -> {
            float[] actual = joined.weights().get(name);
            for (int i = 0; i < expected.length; i++) {
                // Adam's first step is about lr * g / |g|: a gradient near 0 turns rounding
                // into a weight difference of up to lr, so the weights agree within 1e-3 lr
                assertThat(actual[i]).as("%s[%d]", name, i).isCloseTo(expected[i],
                        within(1e-5f));
            }
        });
    }

    private record Result(StepResult step, Map<String, float[]> weights) {}

    private static Result step(TrainerConfig config, List<TrainingSequence> sequences) {
        try (PolicyUnderTraining policy = PolicyUnderTraining.fresh(config)) {
            StepResult result = policy.step(MicroBatches.pack(sequences,
                    config.microBatchRows()));
            Map<String, float[]> weights = new LinkedHashMap<>();
            policy.trainedParameters().forEach((name, w) -> weights.put(name, w.toFloatArray()));
            return new Result(result, weights);
        }
    }

    private static int[] randomIds(Random random, int n) {
        return IntStream.range(0, n).map(i -> 10 + random.nextInt(300)).toArray();
    }
}
