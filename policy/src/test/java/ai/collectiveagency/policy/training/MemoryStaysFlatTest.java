package ai.collectiveagency.policy.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.policy.engine.OfflineEngine;
import ai.collectiveagency.policy.grpo.GrpoConfig;
import ai.collectiveagency.policy.model.Llama;
import ai.collectiveagency.policy.model.RandomWeights;
import ai.collectiveagency.policy.optim.AdamW;
import ai.collectiveagency.policy.optim.AdamWConfig;
import ai.collectiveagency.policy.optim.ScheduleConfig;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * About 1,000 training steps leave native memory where it was: every step's arrays are scoped (the
 * classic DJL trap grows tens of MB a step).
 */
class MemoryStaysFlatTest {

    @Test
    void thousandTrainingStepsLeaveNoGrowthInArraysOrResidentMemory() throws IOException {
        try (NDManager root = OfflineEngine.manager();
                Llama model = RandomWeights.model(TinyModels.llama(64), 9, root)) {
            model.parameters().setTrainable(true);
            try (AdamW optimizer = new AdamW(model.parameters().asMap(),
                    AdamWConfig.torchDefaults(1e-4), ScheduleConfig.constant())) {
                GrpoTrainer trainer = new GrpoTrainer(model, null,
                        GrpoConfig.negotiationDefaults(24), optimizer, 1.0);
                List<TrainingBatch> batch = List.of(batch());
                for (int i = 0; i < 100; i++) {
                    trainer.step(batch);
                }
                int arraysBefore = model.parameters().manager().getManagedArrays().size();
                double early = medianResidentMib(trainer, batch);
                for (int i = 0; i < 800; i++) {
                    trainer.step(batch);
                }
                double late = medianResidentMib(trainer, batch);
                assertThat(model.parameters().manager().getManagedArrays())
                        .hasSize(arraysBefore);
                // Resident memory wanders by tens of MiB with the JVM heap and the allocator's
                // caches; a leaked step's arrays would add up to far more over 800 steps.
                assertThat(late).as("median resident MiB, steps 100-150 vs 900-950")
                        .isLessThan(early + 100);
            }
        }
    }

    private static TrainingBatch batch() {
        int rows = 4;
        int width = 32;
        int[][] tokens = new int[rows][width];
        int[][] attention = new int[rows][width];
        float[][] mask = new float[rows][width - 1];
        for (int b = 0; b < rows; b++) {
            final int row = b;
            Arrays.setAll(tokens[b], t -> (t * 7 + row) % 64);
            Arrays.fill(attention[b], 1);
            Arrays.fill(mask[b], 8, width - 1, 1f);
        }
        return new TrainingBatch(tokens, attention, mask, null, new double[] {1, -1, 0.5, -0.5});
    }

    /** Median resident set over 5 samples taken 10 steps apart. */
    private static double medianResidentMib(GrpoTrainer trainer, List<TrainingBatch> batch)
            throws IOException {
        double[] samples = new double[5];
        for (int i = 0; i < samples.length; i++) {
            for (int s = 0; s < 10; s++) {
                trainer.step(batch);
            }
            samples[i] = residentMib();
        }
        Arrays.sort(samples);
        return samples[2];
    }

    private static double residentMib() throws IOException {
        System.gc();
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
