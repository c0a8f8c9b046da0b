package ai.collectiveagency.policy.sampling;

import ai.collectiveagency.policy.engine.OfflineEngine;
import ai.collectiveagency.policy.model.KvCache;
import ai.collectiveagency.policy.model.Llama;
import ai.collectiveagency.policy.model.LlamaConfig;
import ai.collectiveagency.policy.model.RandomWeights;
import ai.djl.ndarray.NDManager;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Prints resident memory (VmRSS, peak VmHWM), JVM heap and live NDArrays after each of several
 * generate calls on the rollout bench's ~40M random model (the root README's Memory section).
 *
 * <p>Arguments: backend (JAVA or ENGINE), batch, calls, then optionally {@code generate} (default)
 * or {@code prefill} (the engine's prefill step alone), then layers (default 14). Prompts hold
 * 100-250 random tokens; 32 tokens are sampled per call.
 */
public final class GenerateMemoryProbe {

    public static void main(String[] args) throws Exception {
        DecodeBackend backend = DecodeBackend.valueOf(args[0]);
        int batch = Integer.parseInt(args[1]);
        int calls = Integer.parseInt(args[2]);
        String mode = args.length > 3 ? args[3] : "generate";
        int layers = args.length > 4 ? Integer.parseInt(args[4]) : 14;
        LlamaConfig config = new LlamaConfig("qwen2", 512, 1376, layers, 8, 4, 64, 379, 2048,
                1e-6, 1_000_000, true, true, null);
        try (NDManager root = OfflineEngine.manager();
                Llama model = RandomWeights.model(config, 40, root)) {
            print("loaded", root, model);
            Generator generator = new Generator(model, backend);
            SplittableRandom random = new SplittableRandom(7);
            for (int call = 0; call < calls; call++) {
                List<int[]> prompts = new ArrayList<>();
                for (int b = 0; b < batch; b++) {
                    int[] p = new int[100 + random.nextInt(151)];
                    for (int t = 0; t < p.length; t++) {
                        p[t] = random.nextInt(379);
                    }
                    prompts.add(p);
                }
                long start = System.nanoTime();
                if (mode.equals("prefill")) {
                    int longest = prompts.stream().mapToInt(p -> p.length).max().orElse(0);
                    try (NDManager m = model.newStepManager();
                            KvCache cache = new KvCache(layers)) {
                        EngineDecodeSteps.step(model, m, Generator.leftPad(prompts, longest),
                                Generator.promptMask(prompts, longest), cache,
                                SamplingParams.sample(32, 1.0, call), new float[batch]);
                    }
                } else {
                    generator.generate(prompts, SamplingParams.sample(32, 1.0, call), Set.of(),
                            StopCondition.NONE);
                }
                print("call " + call + " " + (System.nanoTime() - start) / 1_000_000 + " ms",
                        root, model);
            }
        }
    }

    static void print(String label, NDManager root, Llama model) throws Exception {
        Runtime rt = Runtime.getRuntime();
        long heap = (rt.totalMemory() - rt.freeMemory()) >> 20;
        System.gc();
        long live = (rt.totalMemory() - rt.freeMemory()) >> 20;
        System.out.printf("%s rss=%s hwm=%s heapUsed=%dMiB heapAfterGc=%dMiB heapCommitted=%dMiB arrays=%d%n", label,
                field("VmRSS:"), field("VmHWM:"), heap, live, rt.totalMemory() >> 20,
                model.parameters().manager().getManagedArrays().size());
    }

    static String field(String name) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(name)) {
                return (Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024) + "MiB";
            }
        }
        return "?";
    }
}
