package ai.collectiveagency.policy.decode;

import ai.collectiveagency.policy.model.LlamaConfig;

import java.util.Arrays;

/**
 * Grouped-query causal attention of T new tokens per row over that row's cached slots (Ainslie
 * et al. 2023): query head h reads KV head h / groupSize; a row's padding slots get no weight.
 *
 * <pre>
 *   queries  (B·T, H·hD) inside the (B·T, width) q/k/v rows, rotated and scaled by 1/sqrt(hD)
 *   cache    keys in tiles of slots (B, KV, tiles, hD, TILE), values (B, KV, capacity, hD);
 *            new token t of row b sees slots [padding_b, length + t]
 *   out      (B·T, H·hD)   softmax(q·Kᵀ)·V per head; zeros for a token in a padding slot
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
     * Attends for every new token and head; the new tokens' keys and values are already in
     * slots {@code cache.length()} to {@code cache.length() + perRow - 1}.
     *
     * @param perRow new tokens of each row (T)
     * @param qkv (B·T, width) rows whose first H·hD entries are the queries
     * @param out (B·T, H·hD) receives the attention outputs
     */
    void attend(JavaKvCache cache, int layer, int perRow, float[] qkv, int width, float[] out) {
        int tokens = cache.batch() * perRow;
        // a part of the work is only handed to another thread when it outweighs the hand-off
        int pairWork = (cache.length() + perRow) * headDim * 2;
        int grain = Math.max(1, MIN_PART_WORK / pairWork);
        range.run(tokens * heads, grain, (start, end) -> {
            // whole tiles from the first real slot's to the newest: at most length + T + TILE
            float[] scores = new float[cache.length() + perRow + TILE];
            for (int pair = start; pair < end; pair++) {
                int token = pair / heads;
                head(cache, layer, token, token / perRow, cache.length() + token % perRow,
                        pair % heads, qkv, width, out, scores);
            }
        });
    }

    /**
     * One query head of the new token in slot {@code last} of row b ({@code token} indexes the
     * queries and outputs). Scores go by whole key tiles, from the tile of the row's first real
     * slot to the tile of the token's: the padding slots before the first and the later ones
     * after the token's are scored too, then set to -inf, so the softmax runs over whole vectors
     * and gives them weight exp(-inf) = 0.
     */
    private void head(JavaKvCache cache, int layer, int token, int b, int last, int h,
            float[] qkv, int width, float[] out, float[] scores) {
        int first = cache.padding(b);
        int at = (token * heads + h) * headDim;
        if (last < first) { // a padding token: its row carries it only into masked slots
            Arrays.fill(out, at, at + headDim, 0f);
            return;
        }
        int group = h / groupSize;
        int skipped = first % TILE; // padding slots in the first tile
        int tiles = (last - first + skipped) / TILE + 1;
        VectorMath.tileDots(qkv, token * width + h * headDim, headDim, cache.keys(layer),
                cache.keyTile(b, group, first), tiles, scores, 0);
        int scored = tiles * TILE;
        int slots = last + 1 - first;
        Arrays.fill(scores, 0, skipped, Float.NEGATIVE_INFINITY);
        Arrays.fill(scores, skipped + slots, scored, Float.NEGATIVE_INFINITY);
        float max = VectorMath.max(scores, 0, scored);
        float sum = VectorMath.exp(scores, 0, 1f, max, scores, 0, scored);
        // slots are consecutive rows of hD floats in the values
        VectorMath.weightedRows(scores, skipped, slots, 1 / sum, cache.values(layer),
                cache.valueOffset(b, group, first), headDim, out, at);
    }
}
