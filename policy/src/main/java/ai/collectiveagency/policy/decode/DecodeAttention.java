package ai.collectiveagency.policy.decode;

import ai.collectiveagency.policy.model.LlamaConfig;

/**
 * Grouped-query attention of one new token per row over that row's cached slots (Ainslie et al.
 * 2023): query head h reads KV head h / groupSize; a row's padding slots are skipped.
 *
 * <pre>
 *   queries  (B, H·hD) inside the (B, width) q/k/v rows, rotated and scaled by 1/sqrt(hD)
 *   cache    (B, KV, capacity, hD) keys and values, slots [padding_b, length] visible
 *   out      (B, H·hD)   softmax(q·Kᵀ)·V per head
 * </pre>
 */
final class DecodeAttention {

    private final int heads;
    private final int groupSize;
    private final int headDim;
    private final ParallelRange range;

    DecodeAttention(LlamaConfig config, ParallelRange range) {
        this.heads = config.numHeads();
        this.groupSize = config.groupSize();
        this.headDim = config.headDim();
        this.range = range;
    }

    /**
     * Attends for every row and head; the new token's key and value are already in slot
     * {@code cache.length()}.
     *
     * @param qkv (B, width) rows whose first H·hD entries are the queries
     * @param out (B, H·hD) receives the attention outputs
     */
    void attend(JavaKvCache cache, int layer, float[] qkv, int width, float[] out) {
        int batch = cache.batch();
        range.run(batch * heads, 1, (start, end) -> {
            float[] scores = new float[cache.length() + 1];
            for (int pair = start; pair < end; pair++) {
                head(cache, layer, pair / heads, pair % heads, qkv, width, out, scores);
            }
        });
    }

    private void head(JavaKvCache cache, int layer, int b, int h, float[] qkv, int width,
            float[] out, float[] scores) {
        float[] keys = cache.keys(layer);
        float[] values = cache.values(layer);
        int first = cache.padding(b);
        int slots = cache.length() + 1 - first;
        int group = h / groupSize;
        int query = b * width + h * headDim;
        for (int s = 0; s < slots; s++) {
            scores[s] = VectorMath.dot(qkv, query, keys, cache.offset(b, group, first + s),
                    headDim);
        }
        float max = VectorMath.max(scores, 0, slots);
        float sum = VectorMath.exp(scores, 0, 1f, max, scores, 0, slots);
        // slots are consecutive rows of hD floats in the cache
        VectorMath.weightedRows(scores, slots, 1 / sum, values, cache.offset(b, group, first),
                headDim, out, (b * heads + h) * headDim);
    }
}
