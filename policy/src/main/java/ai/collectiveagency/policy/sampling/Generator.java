package ai.collectiveagency.policy.sampling;

import ai.collectiveagency.policy.engine.NoGradient;
import ai.collectiveagency.policy.model.KvCache;
import ai.collectiveagency.policy.model.Llama;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Batched autoregressive generation with a KV cache.
 *
 * <p>Prompts of different lengths are left-padded and masked, so each sequence gets exactly the
 * tokens it would get alone. Finished sequences leave the batch (their cache rows are dropped), so
 * a long straggler does not drag the finished ones along. Each step runs in its own
 * {@link NDScope}: nothing but the cache survives a step. No autograd graph is recorded, whatever
 * the calling thread's grad mode.
 */
public final class Generator {

    private final Llama model;

    public Generator(Llama model) {
        this.model = model;
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
        int batch = prompts.size();
        int longest = prompts.stream().mapToInt(p -> p.length).max().orElse(0);
        if (batch == 0 || prompts.stream().anyMatch(p -> p.length == 0)) {
            throw new IllegalArgumentException("every prompt needs at least one token");
        }
        int limit = model.config().maxPositions();
        if (longest + params.maxNewTokens() > limit) {
            throw new IllegalArgumentException("prompt (" + longest + " tokens) + max new tokens ("
                    + params.maxNewTokens() + ") exceeds the model's " + limit + " positions");
        }
        Sequence[] sequences = new Sequence[batch];
        SplittableRandom seeds = new SplittableRandom(params.seed());
        for (int b = 0; b < batch; b++) {
            sequences[b] = new Sequence(params.maxNewTokens(), seeds.split());
        }
        int[] active = range(batch);
        int[][] input = leftPad(prompts, longest);
        int[][] attention = promptMask(prompts, longest);
        try (NoGradient noGradient = new NoGradient();
                NDManager manager = model.newStepManager();
                KvCache cache = new KvCache(model.config().numLayers())) {
            while (active.length > 0) {
                TokenSampler.Choice choice = step(manager, input, attention, cache, params,
                        uniforms(sequences, active, params));
                int[] survivors = record(sequences, active, choice, endOfSequence, stop);
                if (survivors.length == 0) {
                    break;
                }
                if (survivors.length < active.length) {
                    keepRows(manager, cache, positionsOf(active, survivors));
                    attention = pick(attention, positionsOf(active, survivors));
                }
                active = survivors;
                input = lastTokens(sequences, active);
                attention = appendVisible(attention);
            }
        }
        List<Generation> out = new ArrayList<>(batch);
        for (Sequence s : sequences) {
            out.add(s.toGeneration());
        }
        return out;
    }

    private TokenSampler.Choice step(NDManager manager, int[][] input, int[][] attention,
            KvCache cache, SamplingParams params, float[] uniforms) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray logits = model.forward(manager, input, attention, cache, true, true);
            return TokenSampler.choose(logits.get(new NDIndex(":, 0, :")), params, uniforms);
        }
    }

    private static int[] record(Sequence[] sequences, int[] active, TokenSampler.Choice choice,
            Set<Integer> endOfSequence, StopCondition stop) {
        int[] survivors = new int[active.length];
        int kept = 0;
        for (int i = 0; i < active.length; i++) {
            Sequence s = sequences[active[i]];
            int id = (int) choice.ids()[i];
            s.add(id, choice.logprobs()[i]);
            if (endOfSequence.contains(id) || stop.shouldStop(s.ids())) {
                s.finish(FinishReason.STOP);
            } else if (s.full()) {
                s.finish(FinishReason.LENGTH);
            } else {
                survivors[kept++] = active[i];
            }
        }
        return Arrays.copyOf(survivors, kept);
    }

    private static void keepRows(NDManager manager, KvCache cache, int[] rows) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            cache.select(manager.create(Arrays.stream(rows).asLongStream().toArray()));
        }
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

    private static int[][] lastTokens(Sequence[] sequences, int[] active) {
        int[][] tokens = new int[active.length][1];
        for (int i = 0; i < active.length; i++) {
            tokens[i][0] = sequences[active[i]].last();
        }
        return tokens;
    }

    private static int[][] pick(int[][] rows, int[] which) {
        int[][] out = new int[which.length][];
        for (int i = 0; i < which.length; i++) {
            out[i] = rows[which[i]];
        }
        return out;
    }

    private static int[][] appendVisible(int[][] attention) {
        int[][] out = new int[attention.length][];
        for (int b = 0; b < attention.length; b++) {
            out[b] = Arrays.copyOf(attention[b], attention[b].length + 1);
            out[b][attention[b].length] = 1;
        }
        return out;
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
