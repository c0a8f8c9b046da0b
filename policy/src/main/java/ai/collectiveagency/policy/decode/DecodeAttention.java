package ai.collectiveagency.policy.decode;

import ai.collectiveagency.policy.model.LlamaConfig;

import java.util.Arrays;

/**
 * Grouped-query attention of one new token per row over that row's cached slots (Ainslie et al.
 * 2023): query head h reads KV head h / groupSize; a row's padding slots get no weight.
 *
 * <pre>
 *   queries  (B, H·hD) inside the (B, width) q/k/v rows, rotated and scaled by 1/sqrt(hD)
 *   cache    keys in tiles of slots (B, KV, tiles, hD, T), values (B, KV, capacity, hD);
 *            slots [padding_b, length] visible
 *   out      (B, H·hD)   softmax(q·Kᵀ)·V per head
 * </pre>
 */
final class DecodeAttention {

    private static final int TILE = JavaKvCache.TILE;
    /**
     * Multiply-adds (scores and weighted values) below which a part of the heads is not worth a
     * hand-off to another thread (about 5 µs of vector work against a hand-off of 5-20 µs): at
     * hD 64 and 80 slots, a layer's 8 heads at batch 1 run on the caller alone, its 128 at batch
     * 16 in six parts.
     */
    private static final int MIN_PART_WORK = 1 << 18;

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
        // a part of the work is only handed to another thread when it outweighs the hand-off
        int pairWork = (cache.length() + 1) * headDim * 2;
        int grain = Math.max(1, MIN_PART_WORK / pairWork);
        range.run(batch * heads, grain, (start, end) -> {
            // whole tiles from the first real slot's to the new one's: at most length + TILE
            float[] scores = new float[cache.length() + TILE];
            for (int pair = start; pair < end; pair++) {
                head(cache, layer, pair / heads, pair % heads, qkv, width, out, scores);
            }
        });
    }

    /**
     * One query head of one row. Scores go by whole key tiles, from the tile of the row's first
     * real slot to the tile of the new one: the padding slots before the first and the empty ones
     * after the new one are scored too, then set to -inf, so the softmax runs over whole vectors
     * and gives them weight exp(-inf) = 0.
     */
    private void head(JavaKvCache cache, int layer, int b, int h, float[] qkv, int width,
            float[] out, float[] scores) {
        int first = cache.padding(b);
        int last = cache.length(); // the new token's slot
        int group = h / groupSize;
        int skipped = first % TILE; // padding slots in the first tile
        int tiles = (last - first + skipped) / TILE + 1;
        VectorMath.tileDots(qkv, b * width + h * headDim, headDim, cache.keys(layer),
                cache.keyTile(b, group, first), tiles, scores, 0);
        int scored = tiles * TILE;
        int slots = last + 1 - first;
        Arrays.fill(scores, 0, skipped, Float.NEGATIVE_INFINITY);
        Arrays.fill(scores, skipped + slots, scored, Float.NEGATIVE_INFINITY);
        float max = VectorMath.max(scores, 0, scored);
        float sum = VectorMath.exp(scores, 0, 1f, max, scores, 0, scored);
        // slots are consecutive rows of hD floats in the values
        VectorMath.weightedRows(scores, skipped, slots, 1 / sum, cache.values(layer),
                cache.valueOffset(b, group, first), headDim, out, (b * heads + h) * headDim);
    }
}
