package ai.collectiveagency.policy.sampling;

import ai.collectiveagency.policy.decode.CpuId;
import ai.collectiveagency.policy.decode.DecodeWeights;
import ai.collectiveagency.policy.decode.JavaKvCache;
import ai.collectiveagency.policy.engine.NoGradient;
import ai.collectiveagency.policy.model.KvCache;
import ai.collectiveagency.policy.model.LinearAdapter;
import ai.collectiveagency.policy.model.Llama;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;

import jdk.incubator.vector.FloatVector;

/**
 * Batched autoregressive generation with a KV cache.
 *
 * <p>Prompts of different lengths are left-padded and masked, so each sequence gets exactly the
 * tokens it would get alone. Finished sequences leave the batch (their cache rows are dropped), so
 * a long straggler does not drag the finished ones along. The decode steps run on the {@link
 * DecodeBackend} chosen at construction (by default the Java decoder on CPU). With the Java
 * backend a batch of at most {@link #JAVA_PREFILL_TOKENS_PROPERTY} prompt tokens (batch x
 * longest, padding included; default {@link #defaultJavaPrefillTokens}) is prefilled by the
 * Java decoder too. Other prefills run on the engine in their own {@link NDScope}. No autograd
 * graph is recorded, whatever the calling thread's grad mode.
 *
 * <p>The Java backend decodes with a float32 snapshot of the weights (adapter merged) taken on
 * this generator's first call (about 0.2 s for a 40M-parameter model) and retaken when another
 * adapter is installed. It does not see in-place weight updates: after a training step, use a
 * new {@code Generator}. It keeps the KV cache of the generation that ended last, whose arrays
 * the next one lays out in where they fit ({@code JavaKvCache.empty} with a previous cache):
 * calls running at once take it in turn, and the others make their own.
 *
 * <p>A {@link GenerationObserver} sees each token as it is sampled and can stop the batch
 * between two forward passes; without one ({@link GenerationObserver#NONE}) the loop makes no
 * per-token call.
 */
public final class Generator {

    /**
     * System property: the most prompt tokens (batch x longest prompt) the Java backend
     * prefills itself; 0 leaves every prefill to the engine.
     */
    public static final String JAVA_PREFILL_TOKENS_PROPERTY = "policy.decode.java-prefill-tokens";
    /**
     * The Java prefill's default size on most CPUs. On the Intel AMX VM, with the ~40M bench
     * model, the engine's ~300 calls a pass cost more than its matrix products save for short
     * prompts (16 tokens: 28-40 ms on the engine, 7-27 ms in Java), and the two were as fast at
     * 8 x 128 tokens (316-371 against 300-348 ms).
     */
    static final int JAVA_PREFILL_TOKENS = 1024;
    /**
     * The Java prefill's default size on AMD's Zen 5 and later with 512-bit vectors. On the Zen
     * 5 VM (2 cores) the engine's float32 matmul ran at about AVX2's peak, which suggests MKL's
     * AVX2 path, while the Java kernels use AVX-512; a prefill of the ~40M bench model (one
     * token sampled after it) took 1.65-2.46x as long on the engine at every size measured, from
     * 1 x 64 to 32 x 256 and 4 x 1024 tokens. With the engine's projections as convolutions
     * ({@code model.ProjectionProducts}, the default there since) the engine took 1.09-2.93x as
     * long up to 16 x 256 and at 32 x 256, and 0.89-0.94x at 8 x 512 and 4 x 1024: its
     * attention grows with the square of a row's length and Java's with less, so the limit
     * stays. Zen 4 runs 512-bit FMAs as two halves and was not measured, so it keeps
     * {@link #JAVA_PREFILL_TOKENS}.
     */
    static final int ZEN5_JAVA_PREFILL_TOKENS = 8192;

    private final Llama model;
    private final DecodeBackend backend;
    private final int javaPrefillTokens;
    private DecodeWeights weights; // JAVA backend: snapshot of the model's weights
    private LinearAdapter weightsAdapter; // the adapter merged into it
    /** JAVA backend: the cache of the generation that ended last, for the next to lay out in. */
    private final AtomicReference<JavaKvCache> spareCache = new AtomicReference<>();

    /** A generator on {@link DecodeBackend#defaultFor the default backend} of {@code model}. */
    public Generator(Llama model) {
        this(model, DecodeBackend.defaultFor(model));
    }

    public Generator(Llama model, DecodeBackend backend) {
        this(model, backend, configuredJavaPrefillTokens());
    }

    /** As {@link #Generator(Llama, DecodeBackend)}, prefilling up to this many tokens in Java. */
    Generator(Llama model, DecodeBackend backend, int javaPrefillTokens) {
        this.model = model;
        this.backend = backend;
        this.javaPrefillTokens = javaPrefillTokens;
    }

    /**
     * The most prompt tokens a Java-backend generator prefills itself: {@link
     * #JAVA_PREFILL_TOKENS_PROPERTY} if set, else this CPU's default.
     */
    public static int configuredJavaPrefillTokens() {
        String value = System.getProperty(JAVA_PREFILL_TOKENS_PROPERTY);
        if (value == null || value.isBlank()) {
            return defaultJavaPrefillTokens(CpuId.vendor(), CpuId.family(),
                    FloatVector.SPECIES_PREFERRED.vectorBitSize());
        }
        try {
            int tokens = Integer.parseInt(value.trim());
            if (tokens >= 0) {
                return tokens;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(JAVA_PREFILL_TOKENS_PROPERTY + "=" + value
                + " is not a number of tokens (0 or more)");
    }

    /**
     * The most prompt tokens the Java backend prefills by default, on a CPU of this vendor and
     * family ({@link CpuId}) where the JVM's preferred vectors ({@code SPECIES_PREFERRED}) have
     * {@code vectorBits} bits: {@value #ZEN5_JAVA_PREFILL_TOKENS} on AMD's Zen 5 or later with at
     * least 512 bits, else {@value #JAVA_PREFILL_TOKENS}.
     */
    static int defaultJavaPrefillTokens(String vendor, int family, int vectorBits) {
        boolean zen5 = CpuId.AMD.equals(vendor) && family >= CpuId.ZEN_5;
        return zen5 && vectorBits >= 512 ? ZEN5_JAVA_PREFILL_TOKENS : JAVA_PREFILL_TOKENS;
    }

    public DecodeBackend backend() {
        return backend;
    }

    /**
     * Generates a continuation of each prompt.
     *
     * @param prompts token ids of each prompt (non-empty)
     * @param params sampling settings, shared by the batch
     * @param endOfSequence ids that end a sequence (kept as its last token)
     * @param stop checked after every token, e.g. for stop strings
     */
    public List<Generation> generate(List<int[]> prompts, SamplingParams params,
            Set<Integer> endOfSequence, StopCondition stop) {
        SplittableRandom seeds = new SplittableRandom(params.seed());
        SplittableRandom[] streams = new SplittableRandom[prompts.size()];
        for (int b = 0; b < streams.length; b++) {
            streams[b] = seeds.split();
        }
        return generate(prompts, params, streams, endOfSequence, stop, GenerationObserver.NONE);
    }

    /**
     * Generates a continuation of each prompt, each sampled from its own seed (params' seed is
     * unused): a sequence's tokens depend only on its prompt and seed, not on its row or on what
     * else shares the batch, so callers that batch work from many sources stay reproducible.
     *
     * @param seeds one per prompt
     */
    public List<Generation> generate(List<int[]> prompts, SamplingParams params, long[] seeds,
            Set<Integer> endOfSequence, StopCondition stop) {
        return generate(prompts, params, seeds, endOfSequence, stop, GenerationObserver.NONE);
    }

    /**
     * As {@link #generate(List, SamplingParams, long[], Set, StopCondition)}, watched by
     * {@code observer}.
     *
     * @throws GenerationCancelledException when the observer cancelled the call
     */
    public List<Generation> generate(List<int[]> prompts, SamplingParams params, long[] seeds,
            Set<Integer> endOfSequence, StopCondition stop, GenerationObserver observer) {
        if (seeds.length != prompts.size()) {
            throw new IllegalArgumentException(seeds.length + " seeds for " + prompts.size()
                    + " prompts");
        }
        SplittableRandom[] streams = new SplittableRandom[seeds.length];
        for (int b = 0; b < streams.length; b++) {
            streams[b] = new SplittableRandom(seeds[b]);
        }
        return generate(prompts, params, streams, endOfSequence, stop, observer);
    }

    private List<Generation> generate(List<int[]> prompts, SamplingParams params,
            SplittableRandom[] streams, Set<Integer> endOfSequence, StopCondition stop,
            GenerationObserver observer) {
        int batch = prompts.size();
        int longest = prompts.stream().mapToInt(p -> p.length).max().orElse(0);
        if (batch == 0 || prompts.stream().anyMatch(p -> p.length == 0)) {
            throw new IllegalArgumentException("every prompt needs at least one token");
        }
        int vocab = model.config().vocabSize();
        for (int[] prompt : prompts) {
            for (int id : prompt) {
                if (id < 0 || id >= vocab) {
                    throw new IllegalArgumentException("prompt token " + id
                            + " is outside the vocabulary [0, " + vocab + ")");
                }
            }
        }
        int limit = model.config().maxPositions();
        if ((long) longest + params.maxNewTokens() > limit) { // long: a budget near 2^31
            throw new IllegalArgumentException("prompt (" + longest + " tokens) + max new tokens ("
                    + params.maxNewTokens() + ") exceeds the model's " + limit + " positions");
        }
        Sequence[] sequences = new Sequence[batch];
        for (int b = 0; b < batch; b++) {
            sequences[b] = new Sequence(params.maxNewTokens(), streams[b]);
        }
        int[] active = range(batch);
        int[][] attention = promptMask(prompts, longest);
        if (backend == DecodeBackend.JAVA && (long) batch * longest <= javaPrefillTokens) {
            requireGoOn(observer, sequences);
            try (JavaDecodeSteps steps = JavaDecodeSteps.empty(decodeWeights(),
                    padding(attention), longest + params.maxNewTokens(), params, spareCache)) {
                TokenChoice choice = steps.prefill(leftPad(prompts, longest),
                        uniforms(sequences, active, params));
                int[] survivors = record(sequences, active, choice, endOfSequence, stop,
                        observer);
                decode(steps, sequences, active, survivors, params, endOfSequence, stop,
                        observer);
            }
            return generations(sequences);
        }
        try (NoGradient noGradient = new NoGradient();
                NDManager manager = model.newStepManager();
                KvCache cache = new KvCache(model.config().numLayers())) {
            requireGoOn(observer, sequences);
            TokenChoice choice = EngineDecodeSteps.step(model, manager,
                    leftPad(prompts, longest), attention, cache, params,
                    uniforms(sequences, active, params));
            int[] survivors = record(sequences, active, choice, endOfSequence, stop, observer);
            if (survivors.length > 0) {
                try (DecodeSteps steps = open(manager, cache, attention, longest, params)) {
                    decode(steps, sequences, active, survivors, params, endOfSequence, stop,
                            observer);
                }
            }
        }
        return generations(sequences);
    }

    private static List<Generation> generations(Sequence[] sequences) {
        List<Generation> out = new ArrayList<>(sequences.length);
        for (Sequence s : sequences) {
            out.add(s.toGeneration());
        }
        return out;
    }

    /** Steps until every sequence has finished; {@code survivors} are those left after prefill. */
    private static void decode(DecodeSteps steps, Sequence[] sequences, int[] active,
            int[] survivors, SamplingParams params, Set<Integer> endOfSequence,
            StopCondition stop, GenerationObserver observer) {
        while (survivors.length > 0) {
            requireGoOn(observer, sequences);
            if (survivors.length < active.length) {
                steps.keepRows(positionsOf(active, survivors));
            }
            active = survivors;
            TokenChoice choice = steps.next(lastTokens(sequences, active),
                    uniforms(sequences, active, params));
            survivors = record(sequences, active, choice, endOfSequence, stop, observer);
        }
    }

    /** Ends the call when the observer cancelled it: before a pass, never inside one. */
    private static void requireGoOn(GenerationObserver observer, Sequence[] sequences) {
        if (observer != GenerationObserver.NONE && observer.cancelled()) {
            long tokens = 0;
            for (Sequence s : sequences) {
                tokens += s.length;
            }
            throw new GenerationCancelledException(tokens);
        }
    }

    private DecodeSteps open(NDManager manager, KvCache cache, int[][] attention, int longest,
            SamplingParams params) {
        if (backend == DecodeBackend.ENGINE) {
            return new EngineDecodeSteps(model, manager, cache, attention, params);
        }
        return JavaDecodeSteps.afterEnginePrefill(decodeWeights(), cache, padding(attention),
                longest + params.maxNewTokens(), params, spareCache);
    }

    /** The cache the next JAVA-backend generation may lay out in, or null (tests). */
    JavaKvCache spareCache() {
        return spareCache.get();
    }

    /** Each row's leading padding: the zeros before its prompt in the mask. */
    private static int[] padding(int[][] attention) {
        int[] padding = new int[attention.length];
        for (int b = 0; b < padding.length; b++) {
            while (attention[b][padding[b]] == 0) {
                padding[b]++;
            }
        }
        return padding;
    }

    /**
     * The Java decoder's float32 weight snapshot (adapter merged), taken on first use and again
     * when the adapter changed; shared with callers that decode by other schedules.
     */
    public synchronized DecodeWeights decodeWeights() {
        LinearAdapter adapter = model.adapter();
        if (weights == null || adapter != weightsAdapter) {
            weights = DecodeWeights.of(model);
            weightsAdapter = adapter;
        }
        return weights;
    }

    private static int[] record(Sequence[] sequences, int[] active, TokenChoice choice,
            Set<Integer> endOfSequence, StopCondition stop, GenerationObserver observer) {
        int[] survivors = new int[active.length];
        int kept = 0;
        for (int i = 0; i < active.length; i++) {
            Sequence s = sequences[active[i]];
            int id = (int) choice.ids()[i];
            s.add(id, choice.logprobs()[i]);
            // NONE never stops, so skip the per-token copy of the ids it would be shown.
            if (endOfSequence.contains(id)
                    || (stop != StopCondition.NONE && stop.shouldStop(s.ids()))) {
                s.finish(FinishReason.STOP);
            } else if (s.full()) {
                s.finish(FinishReason.LENGTH);
            } else {
                survivors[kept++] = active[i];
            }
            if (observer != GenerationObserver.NONE) {
                observer.token(active[i], id, choice.logprobs()[i], s.finish);
            }
        }
        return Arrays.copyOf(survivors, kept);
    }

    private static float[] uniforms(Sequence[] sequences, int[] active, SamplingParams params) {
        float[] u = new float[active.length];
        if (!params.isGreedy()) {
            for (int i = 0; i < active.length; i++) {
                u[i] = (float) sequences[active[i]].random.nextDouble();
            }
        }
        return u;
    }

    /** Index within {@code active} of each of {@code survivors} (both ascending). */
    private static int[] positionsOf(int[] active, int[] survivors) {
        int[] rows = new int[survivors.length];
        for (int i = 0, j = 0; i < active.length && j < survivors.length; i++) {
            if (active[i] == survivors[j]) {
                rows[j++] = i;
            }
        }
        return rows;
    }

    private static int[] lastTokens(Sequence[] sequences, int[] active) {
        int[] tokens = new int[active.length];
        for (int i = 0; i < active.length; i++) {
            tokens[i] = sequences[active[i]].last();
        }
        return tokens;
    }

    static int[][] leftPad(List<int[]> prompts, int length) {
        int[][] padded = new int[prompts.size()][length];
        for (int b = 0; b < prompts.size(); b++) {
            int[] p = prompts.get(b);
            System.arraycopy(p, 0, padded[b], length - p.length, p.length);
        }
        return padded;
    }

    static int[][] promptMask(List<int[]> prompts, int length) {
        int[][] mask = new int[prompts.size()][length];
        for (int b = 0; b < prompts.size(); b++) {
            Arrays.fill(mask[b], length - prompts.get(b).length, length, 1);
        }
        return mask;
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        Arrays.setAll(r, i -> i);
        return r;
    }

    /** One sequence's generated tokens so far. */
    private static final class Sequence {
        private final int[] ids;
        private final float[] logprobs;
        private final SplittableRandom random;
        private int length;
        private FinishReason finish;

        Sequence(int capacity, SplittableRandom random) {
            this.ids = new int[capacity];
            this.logprobs = new float[capacity];
            this.random = random;
        }

        void add(int id, float logprob) {
            ids[length] = id;
            logprobs[length++] = logprob;
        }

        int last() {
            return ids[length - 1];
        }

        int[] ids() {
            return Arrays.copyOf(ids, length);
        }

        boolean full() {
            return length == ids.length;
        }

        void finish(FinishReason reason) {
            finish = reason;
        }

        Generation toGeneration() {
            return new Generation(ids(), Arrays.copyOf(logprobs, length), finish);
        }
    }
}
