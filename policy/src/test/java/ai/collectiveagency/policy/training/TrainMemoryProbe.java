package ai.collectiveagency.policy.training;

import ai.collectiveagency.policy.bench.BenchConfig;
import ai.collectiveagency.policy.engine.OfflineEngine;
import ai.collectiveagency.policy.grpo.GrpoConfig;
import ai.collectiveagency.policy.lora.LoraAdapter;
import ai.collectiveagency.policy.lora.LoraConfig;
import ai.collectiveagency.policy.model.Llama;
import ai.collectiveagency.policy.model.RandomWeights;
import ai.collectiveagency.policy.optim.AdamW;
import ai.collectiveagency.policy.optim.AdamWConfig;
import ai.collectiveagency.policy.optim.ScheduleConfig;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Prints the seconds, resident memory (VmRSS) and peak (VmHWM) after each GRPO step of
 * {@code ./pipeline bench policy}'s model and batch (~40M parameters, vocab 32000, 8 x 256
 * tokens, the first quarter prompt): the root README's Memory section, without the bench's
 * other figures.
 *
 * <p>Arguments: {@code full} or {@code lora} (rank 8), then the number of steps.
 */
public final class TrainMemoryProbe {

    public static void main(String[] args) throws Exception {
        boolean lora = args[0].equals("lora");
        int steps = Integer.parseInt(args[1]);
        BenchConfig bench = BenchConfig.defaults();
        try (NDManager root = OfflineEngine.manager();
                Llama model = RandomWeights.model(bench.modelConfig(), 1, root)) {
            print("loaded");
            Map<String, NDArray> trainable;
            LoraAdapter adapter = null;
            if (lora) {
                adapter = LoraAdapter.initialize(model, LoraConfig.of(8, 16));
                adapter.setTrainable(true);
                model.setAdapter(adapter);
                trainable = adapter.parameters();
            } else {
                model.parameters().setTrainable(true);
                trainable = model.parameters().asMap();
            }
            try (AdamW optimizer = new AdamW(trainable, AdamWConfig.torchDefaults(1e-5),
                    ScheduleConfig.constant())) {
                GrpoTrainer trainer = new GrpoTrainer(model, null,
                        GrpoConfig.negotiationDefaults(bench.trainLength()), optimizer, 1.0);
                List<TrainingBatch> batch = List.of(batch(bench));
                for (int step = 0; step < steps; step++) {
                    long start = System.nanoTime();
                    trainer.step(batch);
                    print(String.format("step %d %.2f s", step, (System.nanoTime() - start) / 1e9));
                }
            } finally {
                if (adapter != null) {
                    adapter.close();
                }
            }
        }
    }

    private static TrainingBatch batch(BenchConfig bench) {
        int b = bench.trainBatch();
        int t = bench.trainLength();
        SplittableRandom random = new SplittableRandom(5);
        int[][] tokens = new int[b][t];
        int[][] attention = new int[b][t];
        float[][] mask = new float[b][t - 1];
        double[] advantages = new double[b];
        for (int i = 0; i < b; i++) {
            Arrays.setAll(tokens[i], j -> random.nextInt(bench.vocab()));
            Arrays.fill(attention[i], 1);
            Arrays.fill(mask[i], t / 4, t - 1, 1f);
            advantages[i] = i % 2 == 0 ? 1 : -1;
        }
        return new TrainingBatch(tokens, attention, mask, null, advantages);
    }

    private static void print(String label) throws Exception {
        System.out.printf("%s rss=%s hwm=%s%n", label, field("VmRSS:"), field("VmHWM:"));
    }

    private static String field(String name) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(name)) {
                return (Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024) + "MiB";
            }
        }
        return "?";
    }
}
