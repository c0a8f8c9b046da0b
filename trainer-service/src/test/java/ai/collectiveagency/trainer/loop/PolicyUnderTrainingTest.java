package ai.collectiveagency.trainer.loop;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.policy.training.TrainingBatch;
import ai.collectiveagency.trainer.TestConfigs;
import ai.collectiveagency.trainer.TestGroups;
import ai.collectiveagency.trainer.batching.Baseline;
import ai.collectiveagency.trainer.batching.ExampleBuilder;
import ai.collectiveagency.trainer.batching.MicroBatches;
import ai.collectiveagency.trainer.batching.Personas;
import ai.collectiveagency.trainer.batching.RoleBaselines;
import ai.collectiveagency.trainer.batching.Segments;
import ai.collectiveagency.trainer.batching.SharedPrefixes;
import ai.collectiveagency.trainer.batching.TrainingRow;
import ai.collectiveagency.trainer.config.TrainerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resuming from a saved folder continues bit for bit: the weights after each later step equal
 * those of the run that was never saved and reloaded (both saving every two steps, as the loop
 * does).
 */
class PolicyUnderTrainingTest {

    private static final int STEPS = 6;
    private static final int SAVED_AFTER = 2;

    private static final TrainerConfig CONFIG = TestConfigs.config(Map.of(
            "trainer.learning-rate", "1e-3", "trainer.lora.rank", "4",
            "trainer.lora.alpha", "8", "trainer.micro-batch-rows", "4"));

    /** Two groups a step, the rewards of the kill-and-restart test. */
    private static List<List<TrainingBatch>> steps() {
        Random random = new Random(20261126L);
        ExampleBuilder builder = new ExampleBuilder(Segments.DIALOGUE, Personas.BOTH,
                Baseline.GROUP, new RoleBaselines(), false);
        List<List<TrainingBatch>> steps = new ArrayList<>();
        for (int s = 0; s < STEPS; s++) {
            List<TrainingRow> rows = new ArrayList<>();
            for (int g = 0; g < 2; g++) {
                int i = 2 * s + g;
                double[] rewards = {random.nextDouble(), random.nextDouble(),
                        random.nextDouble(), i % 5 == 0 ? Double.NaN : random.nextDouble()};
                rows.addAll(builder.rows(TestGroups.group("k-" + i, 0, rewards)));
            }
            steps.add(MicroBatches.pack(SharedPrefixes.separate(rows), CONFIG.microBatchRows()));
        }
        return steps;
    }

    private static Map<String, float[]> snapshot(PolicyUnderTraining policy) {
        Map<String, float[]> out = new LinkedHashMap<>();
        policy.trainedParameters().forEach((name, array) -> out.put(name, array.toFloatArray()));
        return out;
    }

    private static void assertSame(int step, Map<String, float[]> actual,
            Map<String, float[]> expected) {
        assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
        for (String name : expected.keySet()) {
            assertThat(actual.get(name)).as("after step " + step + ": " + name)
                    .isEqualTo(expected.get(name));
        }
    }

    @Test
    void aResumedPolicyTrainsOnBitForBitAsIfNeverStopped(@TempDir Path folder) {
        List<List<TrainingBatch>> steps = steps();
        List<Map<String, float[]>> uninterrupted = new ArrayList<>();
        try (PolicyUnderTraining policy = PolicyUnderTraining.fresh(CONFIG)) {
            for (int s = 1; s <= STEPS; s++) {
                policy.step(steps.get(s - 1));
                if (s % SAVED_AFTER == 0) {
                    policy.saveInto(folder.resolve("a" + s), "qwen2-tiny-random");
                }
                uninterrupted.add(snapshot(policy));
            }
        }
        try (PolicyUnderTraining policy = PolicyUnderTraining.resume(CONFIG,
                folder.resolve("a" + SAVED_AFTER))) {
            assertSame(SAVED_AFTER, snapshot(policy), uninterrupted.get(SAVED_AFTER - 1));
            for (int s = SAVED_AFTER + 1; s <= STEPS; s++) {
                policy.step(steps.get(s - 1));
                if (s % SAVED_AFTER == 0) {
                    policy.saveInto(folder.resolve("b" + s), "qwen2-tiny-random");
                }
                assertSame(s, snapshot(policy), uninterrupted.get(s - 1));
            }
        }
    }
}
