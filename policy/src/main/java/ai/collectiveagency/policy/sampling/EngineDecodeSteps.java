package ai.collectiveagency.policy.sampling;

import ai.collectiveagency.policy.model.KvCache;
import ai.collectiveagency.policy.model.Llama;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;

import java.util.Arrays;

/** Decode steps through the engine's forward pass, each in its own {@link NDScope}. */
final class EngineDecodeSteps implements DecodeSteps {

    private final Llama model;
    private final NDManager manager;
    private final KvCache cache;
    private final SamplingParams params;
    private int[][] attention; // (B, S) 1 for real tokens, 0 for padding

    /** Continues from a prefill that filled {@code cache}; {@code attention} is its mask. */
    EngineDecodeSteps(Llama model, NDManager manager, KvCache cache, int[][] attention,
            SamplingParams params) {
        this.model = model;
        this.manager = manager;
        this.cache = cache;
        this.attention = attention;
        this.params = params;
    }

    @Override
    public TokenChoice next(int[] lastTokens, float[] uniforms) {
        attention = appendVisible(attention);
        int[][] input = new int[lastTokens.length][];
        for (int b = 0; b < input.length; b++) {
            input[b] = new int[] {lastTokens[b]};
        }
        return step(model, manager, input, attention, cache, params, uniforms);
    }

    /** One forward pass over {@code input} and a choice from its last position's logits. */
    static TokenChoice step(Llama model, NDManager manager, int[][] input,
            int[][] attention, KvCache cache, SamplingParams params, float[] uniforms) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray logits = model.forward(manager, input, attention, cache, true, true);
            return TokenSampler.choose(logits.get(new NDIndex(":, 0, :")), params, uniforms);
        }
    }

    @Override
    public void keepRows(int[] rows) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            cache.select(manager.create(Arrays.stream(rows).asLongStream().toArray()));
        }
        int[][] kept = new int[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            kept[i] = attention[rows[i]];
        }
        attention = kept;
    }

    private static int[][] appendVisible(int[][] attention) {
        int[][] out = new int[attention.length][];
        for (int b = 0; b < attention.length; b++) {
            out[b] = Arrays.copyOf(attention[b], attention[b].length + 1);
            out[b][attention[b].length] = 1;
        }
        return out;
    }

    @Override
    public void close() {
        // the cache and manager belong to the generate call
    }
}
