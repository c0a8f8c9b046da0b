package ai.collectiveagency.policy.bench;

import ai.collectiveagency.policy.decode.ParallelRange;
import ai.collectiveagency.policy.engine.JitTrapLimit;
import ai.collectiveagency.policy.engine.ModelJvmFlags;
import ai.collectiveagency.policy.engine.NoGradient;
import ai.collectiveagency.policy.engine.TrainingMalloc;
import ai.collectiveagency.policy.grpo.GrpoConfig;
import ai.collectiveagency.policy.lora.LoraAdapter;
import ai.collectiveagency.policy.lora.LoraConfig;
import ai.collectiveagency.policy.model.KvCache;
import ai.collectiveagency.policy.model.Llama;
import ai.collectiveagency.policy.model.LlamaConfig;
import ai.collectiveagency.policy.model.RandomWeights;
import ai.collectiveagency.policy.optim.AdamW;
import ai.collectiveagency.policy.optim.AdamWConfig;
import ai.collectiveagency.policy.optim.ScheduleConfig;
import ai.collectiveagency.policy.sampling.Generator;
import ai.collectiveagency.policy.sampling.SamplingParams;
import ai.collectiveagency.policy.sampling.StopCondition;
import ai.collectiveagency.policy.training.GrpoTrainer;
import ai.collectiveagency.policy.training.TrainingBatch;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Measures prefill, decode and training speed of a random Llama and reports each figure with
 * its bound on this machine ({@link MachineBounds}): FLOPs over peak for prefill and training,
 * and for decode the larger of FLOP time and the time to read the weights and KV cache at the
 * read bandwidth.
 */
public final class PolicyBenchmark {

    /**
     * A prefill's first passes here ran up to 1.5x slower than later ones (0.90-1.17 s against
     * 0.70-0.74 s for 8 x 256 tokens) while the native allocator settled on reusing its blocks;
     * a service runs in the settled state, so the figure is the best of the passes after it.
     * Since most of a pass's non-engine work runs in Java kernels, the JIT settles later: in two
     * fresh JVMs of 40 passes each (Zen 5, 2 cores, 2026-12-07), passes 4 to 12 took 0.30-0.40
     * s while C2 compiled on the same two cores, and every pass from the 13th on 0.27-0.32 s.
     * Every timed pass is reported.
     */
    private static final int PREFILL_WARM_UPS = 12;
    /** Timed prefill passes, each reported. */
    public static final int PREFILL_RUNS = 8;
    /**
     * The first GRPO steps grow the engine's native memory to its working size, faulting in
     * pages that later steps reuse: here the step after the first took 3.34 s and the next
     * seven 2.44-2.77 s (full fine-tuning of the default model, Intel AMX VM). A trainer runs
     * in the settled state, so the timed steps come after two. After them a step now and then
     * still grows the native heap by one 32 MiB (positions x vocabulary) block of the head's
     * backward, its pages faulted in fresh: 8,200 faults took 0.20 s, 24,600 took 0.71 s, on
     * top of 1.87-1.94 s steps (LoRA, Intel AMX VM; two such steps in ten, none once the heap
     * has its working size, a few tens of steps in). The figure is therefore the median of the
     * timed steps, and every step is reported.
     */
    private static final int TRAIN_WARM_UPS = 2;
    /**
     * Decode reads memory whose bandwidth this shared VM's neighbours take a varying share of:
     * it moves in phases of tens of seconds (34-36 GB/s in one, 50-67 in another, in one
     * process), so a bound probed at another moment than the run it bounds made the batch-1
     * share swing between 0.46 and 0.99 from bench to bench. Each decode run is therefore timed
     * between two probes of the read bandwidth ({@link ReadBandwidth}) and measured against the
     * better of the two, and the figure is the run with the median share of these runs.
     */
    private static final int DECODE_RUNS = 5;

    private final BenchConfig bench;
    private final LlamaConfig config;
    private final FlopModel flops;

    public PolicyBenchmark(BenchConfig bench) {
        this.bench = bench;
        this.config = bench.modelConfig();
        this.flops = new FlopModel(config);
    }

    /**
     * Runs every measurement; the map is printed as JSON. The machine's bounds are measured
     * before the figures and again after decoding, and the better of each is kept: a bound is a
     * property of the hardware, and the first probe can lose a core to the JIT compiler warming
     * up. The second probe comes before training, not after it: its 256 MB buffers on top of the
     * memory the allocator keeps after a training step raised {@code peak_rss_mib} by about 190
     * MiB, a peak of the probe and not of any workload. The read figure is raised to the best
     * of the probes around the decode runs. Their 256 MB array is part of the decode phase's
     * memory (1.65 GiB at the default shape, below training's 2.4-2.8). The Java products'
     * rate from cache ({@link JavaMatmulRate}) is printed beside the engine's matmul, not used
     * as a bound: prefill and training run in the engine. {@code peak_rss_mib_after} is the
     * peak so far after each part: prefill; decode (with sampling, the Java products' rate and
     * the read probes); LoRA (with the second bounds probe); full fine-tuning. {@code
     * peak_rss_sample} is the highest of the resident set's samples ({@link ResidentSampler}):
     * the part that ran then (bounds, model, prefill, decode, bounds_again, train_lora,
     * train_full), and the Java heap's used and committed MiB at that moment.
     */
    public Map<String, Object> run(NDManager root) {
        try (ResidentSampler sampler = new ResidentSampler("bounds")) {
            return measure(root, sampler);
        }
    }

    private Map<String, Object> measure(NDManager root, ResidentSampler sampler) {
        MachineBounds before = MachineBounds.measure(root, bench.matmulSize());
        Map<String, Function<MachineBounds, Object>> figures = new LinkedHashMap<>();
        Map<String, Object> peakAfter = new LinkedHashMap<>();
        MachineBounds engine;
        double decodeRead = 0;
        double javaMatmulGflops;
        sampler.part("model");
        try (Llama model = RandomWeights.model(config, 1, root)) {
            long parameters = model.parameters().count();
            figures.put("model",
                    b -> Map.of("parameters", parameters, "config", config.toString()));
            sampler.part("prefill");
            figures.put("prefill", prefill(model));
            peakAfter.put("prefill", round(PeakMemory.peakRssMib()));
            sampler.part("decode");
            List<DecodeFigure> decode = decode(model);
            for (DecodeFigure figure : decode) {
                decodeRead = Math.max(decodeRead, figure.bestRead());
            }
            figures.put("decode", b -> decode.stream().map(f -> f.report(b)).toList());
            if (bench.decodeBatches().length > 0) {
                int batch = Arrays.stream(bench.decodeBatches()).max().getAsInt();
                Map<String, Object> sampling = SamplingFigure.measure(batch, config.vocabSize());
                figures.put("sampling", b -> sampling);
            }
            javaMatmulGflops = JavaMatmulRate.measure(ParallelRange.shared());
            peakAfter.put("decode", round(PeakMemory.peakRssMib()));
            releaseDecodeGarbage();
            sampler.part("bounds_again");
            engine = before.max(MachineBounds.measure(root, bench.matmulSize()));
            if (bench.trainSteps() > 0) {
                // LoRA first: freezing the base again keeps its gradients (158 MB at the
                // default shape), so after full fine-tuning they would sit beside LoRA's own
                // peak, in no trainer's process (peak 2,855-3,128 MiB in five runs with full
                // fine-tuning first, 2,593-2,941 in three with LoRA first)
                sampler.part("train_lora");
                figures.put("train_lora", train(model, true));
                peakAfter.put("train_lora", round(PeakMemory.peakRssMib()));
                sampler.part("train_full");
                figures.put("train_full", train(model, false));
                peakAfter.put("train_full", round(PeakMemory.peakRssMib()));
            }
        }
        // taken before the peak is read, so that no later sample can pass it
        Map<String, Object> peakSample = sampler.report();
        double peakRss = PeakMemory.peakRssMib();
        MachineBounds bounds = engine.withReadAtLeast(decodeRead);
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> machine = CpuFeatures.detect().toMap();
        machine.put("matmul_gflops", round(bounds.matmulGflops()));
        machine.put("sgemm_gflops", round(bounds.sgemmGflops()));
        machine.put("convolution_gflops", round(bounds.convolutionGflops()));
        machine.put("java_matmul_gflops", round(javaMatmulGflops));
        machine.put("memory_gb_per_s", round(bounds.memoryGbPerSecond()));
        machine.put("memory_read_gb_per_s", round(bounds.readGbPerSecond()));
        machine.put("omp_wait_policy", String.valueOf(System.getenv("OMP_WAIT_POLICY")));
        machine.put("training_malloc", TrainingMalloc.inEffect(System.getenv()));
        // at HotSpot's default (100) some JVMs' kernels lose their vector stores: slower runs
        machine.put("jit_trap_limit", numericOption(JitTrapLimit.OPTION));
        // G1 grows the heap past its live data sooner at its default (12) than at 4
        machine.put("gc_time_ratio", numericOption(ModelJvmFlags.GC_TIME_RATIO));
        out.put("machine", machine);
        figures.forEach((name, figure) -> out.put(name, figure.apply(bounds)));
        out.put("peak_rss_mib", round(peakRss));
        // the peak so far after each part: the part where it rises is the one that set it
        out.put("peak_rss_mib_after", peakAfter);
        // which part ran at the resident set's highest sample, and the heap then: the heap or
        // the engine's native memory, each calls for its own remedy
        out.put("peak_rss_sample", peakSample);
        return out;
    }

    /** This JVM's value of a numeric HotSpot option, or "unknown" where it reports none. */
    private static Object numericOption(String option) {
        return ModelJvmFlags.current(option).<Object>map(Long::valueOf).orElse("unknown");
    }

    /**
     * Collects the decode figures' garbage, so the JVM can give back the heap it grew for them
     * (about 0.9 GiB, committed but dead) before the second bounds probe and training's native
     * peak. A trainer-service never decodes, so without this the bench's peak RSS would add two
     * workloads that never share a process.
     */
    private static void releaseDecodeGarbage() {
        System.gc();
    }

    private Function<MachineBounds, Object> prefill(Llama model) {
        int[][] tokens = randomTokens(bench.prefillBatch(), bench.prefillLength(), 2);
        int[][] attention = ones(bench.prefillBatch(), bench.prefillLength());
        double[] runs = timedAfterWarmUps(PREFILL_WARM_UPS, PREFILL_RUNS, () -> {
            // as the generator prefills: autograd records nothing
            try (NoGradient noGradient = new NoGradient();
                    NDManager m = model.newStepManager(); NDScope s = new NDScope();
                    KvCache cache = new KvCache(config.numLayers())) {
                s.suppressNotUsedWarning();
                NDArray logits = model.forward(m, tokens, attention, cache, true, false);
                logits.toFloatArray();
            }
        });
        double seconds = Arrays.stream(runs).min().orElseThrow();
        long n = (long) bench.prefillBatch() * bench.prefillLength();
        double work = flops.prefill(bench.prefillBatch(), bench.prefillLength());
        return bounds -> figure("tokens_per_s", n / seconds, "seconds", seconds,
                "share_of_flop_bound", work / seconds / (bounds.matmulGflops() * 1e9),
                "seconds_of_runs", Arrays.stream(runs).map(PolicyBenchmark::round).boxed()
                        .toList());
    }

    /**
     * The decode figures, from one generator as a service has: the Java backend's weight
     * snapshot is taken once, in the first figure's first call. The read probe's array is
     * garbage once this returns.
     */
    private List<DecodeFigure> decode(Llama model) {
        List<DecodeFigure> figures = new ArrayList<>();
        if (bench.decodeBatches().length > 0) {
            Generator generator = new Generator(model);
            ReadBandwidth read = new ReadBandwidth();
            for (int batch : bench.decodeBatches()) {
                figures.add(decode(generator, batch, read));
            }
        }
        return figures;
    }

    private DecodeFigure decode(Generator generator, int batch, ReadBandwidth read) {
        List<int[]> prompts = Arrays.asList(randomTokens(batch, bench.decodePrompt(), 3));
        SamplingParams params = SamplingParams.sample(bench.decodeTokens(), 1.0, 7);
        long first = System.nanoTime();
        generator.generate(prompts.subList(0, 1), SamplingParams.greedy(2), Set.of(),
                StopCondition.NONE); // the first takes the Java backend's weight snapshot, if any
        double firstCall = (System.nanoTime() - first) / 1e9;
        Runnable run = () -> generator.generate(prompts, params, Set.of(), StopCondition.NONE);
        run.run(); // warm-up
        List<DecodeRun> runs = new ArrayList<>();
        double readBefore = read.measure();
        for (int i = 0; i < DECODE_RUNS; i++) {
            long start = System.nanoTime();
            run.run();
            double seconds = (System.nanoTime() - start) / 1e9;
            double readAfter = read.measure();
            runs.add(new DecodeRun(seconds, Math.max(readBefore, readAfter)));
            readBefore = readAfter;
        }
        return new DecodeFigure(batch, generator.backend().name(), firstCall, runs);
    }

    /** One timed decode run and the read bandwidth around it. */
    private record DecodeRun(double seconds, double readGbPerSecond) {}

    /** A decode batch size's runs, reported as the run with the median share of its bound. */
    private final class DecodeFigure {
        private final int batch;
        private final String backend;
        private final double firstCall;
        private final List<DecodeRun> runs;

        DecodeFigure(int batch, String backend, double firstCall, List<DecodeRun> runs) {
            this.batch = batch;
            this.backend = backend;
            this.firstCall = firstCall;
            this.runs = runs;
        }

        double bestRead() {
            return runs.stream().mapToDouble(DecodeRun::readGbPerSecond).max().orElse(0);
        }

        Map<String, Object> report(MachineBounds bounds) {
            double tokens = (double) batch * bench.decodeTokens();
            double[] boundSeconds = runs.stream().mapToDouble(r -> flops.decodeBoundSeconds(
                    batch, bench.decodePrompt(), bench.decodeTokens(),
                    bounds.withRead(r.readGbPerSecond()))).toArray();
            double[] shares = IntStream.range(0, runs.size())
                    .mapToDouble(i -> boundSeconds[i] / runs.get(i).seconds()).toArray();
            int median = IntStream.range(0, shares.length).boxed()
                    .sorted(Comparator.comparingDouble(i -> shares[i])).toList()
                    .get(shares.length / 2);
            DecodeRun run = runs.get(median);
            return figure("batch", batch, "backend", backend,
                    "tokens_per_s", tokens / run.seconds(), "seconds", run.seconds(),
                    "first_call_seconds", firstCall,
                    "read_gb_per_s", run.readGbPerSecond(),
                    "bound_tokens_per_s", tokens / boundSeconds[median],
                    "share_of_bound", shares[median],
                    "shares_of_runs", Arrays.stream(shares).map(PolicyBenchmark::round).boxed()
                            .toList(),
                    // the bound moves with the read bandwidth probed around each run
                    "seconds_of_runs", runs.stream().map(r -> microseconds(r.seconds())).toList(),
                    "read_gb_per_s_of_runs", runs.stream()
                            .map(r -> round(r.readGbPerSecond())).toList());
        }
    }

    private Function<MachineBounds, Object> train(Llama model, boolean lora) {
        LoraAdapter adapter = null;
        LoraConfig loraConfig = LoraConfig.of(bench.loraRank(), 2.0 * bench.loraRank());
        Map<String, NDArray> trainable;
        if (lora) {
            model.parameters().setTrainable(false); // no weight gradients for the base
            adapter = LoraAdapter.initialize(model, loraConfig);
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
            TrainingBatch micro = trainingBatch();
            List<TrainingBatch> batch = List.of(micro);
            for (int i = 0; i < TRAIN_WARM_UPS; i++) {
                trainer.step(batch);
            }
            double[] steps = timed(bench.trainSteps(), () -> trainer.step(batch));
            double seconds = median(steps);
            int scored = bench.trainLength() - 1 - micro.firstScoredTarget();
            double work = lora
                    ? flops.trainingStepLora(bench.trainBatch(), bench.trainLength(), scored,
                            loraConfig)
                    : flops.trainingStep(bench.trainBatch(), bench.trainLength(), scored);
            return bounds -> figure("seconds_per_step", seconds,
                    "tokens_per_s", bench.trainBatch() * bench.trainLength() / seconds,
                    "share_of_flop_bound", work / seconds / (bounds.matmulGflops() * 1e9),
                    "seconds_of_steps", Arrays.stream(steps).map(PolicyBenchmark::round).boxed()
                            .toList());
        } finally {
            model.setAdapter(null);
            model.parameters().setTrainable(false);
            if (adapter != null) {
                adapter.close();
            }
        }
    }

    private TrainingBatch trainingBatch() {
        int b = bench.trainBatch();
        int t = bench.trainLength();
        float[][] mask = new float[b][t - 1];
        double[] advantages = new double[b];
        for (int i = 0; i < b; i++) {
            Arrays.fill(mask[i], t / 4, t - 1, 1f); // the first quarter is prompt
            advantages[i] = i % 2 == 0 ? 1 : -1;
        }
        return new TrainingBatch(randomTokens(b, t, 5), ones(b, t), mask, null, advantages);
    }

    private int[][] randomTokens(int batch, int length, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[][] tokens = new int[batch][length];
        for (int[] row : tokens) {
            Arrays.setAll(row, i -> random.nextInt(config.vocabSize()));
        }
        return tokens;
    }

    private static int[][] ones(int batch, int length) {
        int[][] rows = new int[batch][length];
        for (int[] row : rows) {
            Arrays.fill(row, 1);
        }
        return rows;
    }

    /** The seconds of each of {@code runs} timed runs after {@code warmUps} untimed ones. */
    private static double[] timedAfterWarmUps(int warmUps, int runs, Runnable body) {
        for (int i = 0; i < warmUps; i++) {
            body.run();
        }
        return timed(runs, body);
    }

    private static double[] timed(int runs, Runnable body) {
        double[] seconds = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            body.run();
            seconds[i] = (System.nanoTime() - start) / 1e9;
        }
        return seconds;
    }

    /** The middle value; of an even count, the mean of the two middle ones. */
    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle]
                : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static Map<String, Object> figure(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            Object v = keyValues[i + 1];
            map.put((String) keyValues[i], v instanceof Double d ? round(d) : v);
        }
        return map;
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    /** Seconds to the microsecond: a small model's decode run can take under a millisecond. */
    private static double microseconds(double seconds) {
        return Math.round(seconds * 1e6) / 1e6;
    }
}
