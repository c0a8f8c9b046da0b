package ai.collectiveagency.policy.decode;

import ai.collectiveagency.policy.model.LlamaConfig;

import java.util.Arrays;

/**
 * Grouped-query causal attention of T new tokens per row over that row's cached slots (Ainslie
 * et al. 2023): query head h reads KV head h / groupSize; a row's padding slots get no weight.
 *
 * <pre>
 *   queries  (B·T, H·hD) inside the (B·T, width) q/k/v rows, rotated and scaled by 1/sqrt(hD)
 *            once a {@link GroupInput} has placed them
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
     * hD 64, 80 slots and two query heads a KV head, a layer's 4 KV heads at batch 1 run on the
     * caller alone, its 64 at batch 16 in six parts.
     */
    private static final int MIN_PART_WORK = 1 << 18;
    /** Query heads of one KV head attended together at most: {@link VectorMath#tileDots4}. */
    private static final int QUERIES_AT_ONCE = 4;
    /**
     * (token, KV head) pairs per part when a prefill's are placed before its attention: a pair
     * took about 0.6 µs here (two query heads and a key of 64 rotated, a key and value written).
     */
    private static final int PLACE_GRAIN = 64;
    /** Each thread's scores and softmax scales of a part, kept from call to call. */
    private static final ThreadArrays SCRATCH = new ThreadArrays(2);

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
     * Readies one new token's heads of one KV head for attention: its query heads of the group
     * and its key rotated, its key and value written to the cache at the token's slot.
     *
     * <p>Called once per (token, KV head), from any of the range's threads, while other threads
     * place or attend for other pairs: it must write only that pair's queries, key, value and
     * cache slot, and must not call the range itself (a worker would wait for the caller, which
     * waits for it).
     */
    @FunctionalInterface
    interface GroupInput {
        void place(int token, int group);
    }

    /**
     * Places every new token's inputs with {@code input} and attends for every new token and
     * head: new token t of row b sees slots [padding_b, length + t].
     *
     * <p>With one new token per row (a decode step) each (token, KV head) is placed by the
     * thread that attends for it, just before: a pair reads only its own queries and its own
     * row's and KV head's cache, so no thread waits for another's placing, and the placing,
     * which the caller would otherwise do alone, is split over the threads with the attention.
     * A prefill's tokens attend to the keys of the same pass's earlier tokens, so its pairs are
     * all placed first, in a call of their own.
     *
     * @param perRow new tokens of each row (T)
     * @param qkv (B·T, width) rows whose first H·hD entries are the queries
     * @param out (B·T, H·hD) receives the attention outputs
     * @param input places a pair's queries, key and value
     */
    void attend(JavaKvCache cache, int layer, int perRow, float[] qkv, int width, float[] out,
            GroupInput input) {
        int tokens = cache.batch() * perRow;
        int kvHeads = heads / groupSize;
        boolean placeFirst = perRow > 1;
        if (placeFirst) {
            range.run(tokens * kvHeads, PLACE_GRAIN, (start, end) -> {
                for (int pair = start; pair < end; pair++) {
                    input.place(pair / kvHeads, pair % kvHeads);
                }
            });
        }
        // whole tiles from the first real slot's to the newest: at most length + T + TILE
        int stride = cache.length() + perRow + TILE;
        int together = Math.min(groupSize, QUERIES_AT_ONCE);
        range.run(tokens * kvHeads, pairsPerPart(headDim, groupSize, cache.length(), perRow),
                (start, end) -> {
                    float[] scores = SCRATCH.get(0, together * stride);
                    float[] scales = SCRATCH.get(1, together);
                    for (int pair = start; pair < end; pair++) {
                        int token = pair / kvHeads;
                        if (!placeFirst) {
                            input.place(token, pair % kvHeads);
                        }
                        group(cache, layer, token, token / perRow,
                                cache.length() + token % perRow, pair % kvHeads, qkv, width,
                                out, scores, stride, scales);
                    }
                });
    }

    /**
     * (token, KV head) pairs per part of the attention after {@code length} cached slots: a
     * part is only handed to another thread when its work outweighs the hand-off.
     */
    static int pairsPerPart(int headDim, int groupSize, int length, int perRow) {
        int groupWork = (length + perRow) * headDim * 2 * groupSize;
        return Math.max(1, MIN_PART_WORK / groupWork);
    }

    /**
     * The query heads of KV head {@code group} for the new token in slot {@code last} of row b
     * ({@code token} indexes the queries and outputs), four, two or one at a time: each key tile
     * and value row is read once for the heads that share it, and each head's results are the
     * bits it gets alone. Scores go by whole key tiles, from the tile of the row's first real
     * slot to the tile of the token's: the padding slots before the first and the later ones
     * after the token's are scored too, then set to -inf, so the softmax runs over whole vectors
     * and gives them weight exp(-inf) = 0.
     */
    private void group(JavaKvCache cache, int layer, int token, int b, int last, int group,
            float[] qkv, int width, float[] out, float[] scores, int stride, float[] scales) {
        int first = cache.padding(b);
        int h0 = group * groupSize;
        int at = (token * heads + h0) * headDim;
        if (last < first) { // a padding token: its row carries it only into masked slots
            Arrays.fill(out, at, at + groupSize * headDim, 0f);
            return;
        }
        int skipped = first % TILE; // padding slots in the first tile
        int tiles = (last - first + skipped) / TILE + 1;
        int slots = last + 1 - first;
        float[] keys = cache.keys(layer);
        int keyTile = cache.keyTile(b, group, first);
        float[] values = cache.values(layer);
        int valueOffset = cache.valueOffset(b, group, first);
        for (int h = 0; h < groupSize; ) {
            int n = groupSize - h >= QUERIES_AT_ONCE ? QUERIES_AT_ONCE
                    : groupSize - h >= 2 ? 2 : 1;
            int q = token * width + (h0 + h) * headDim;
            int o = at + h * headDim;
            switch (n) {
                case 4 -> VectorMath.tileDots4(qkv, q, headDim, headDim, keys, keyTile, tiles,
                        scores, stride);
                case 2 -> VectorMath.tileDots2(qkv, q, headDim, headDim, keys, keyTile, tiles,
                        scores, stride);
                default -> VectorMath.tileDots(qkv, q, headDim, keys, keyTile, tiles, scores, 0);
            }
            for (int r = 0; r < n; r++) {
                scales[r] = softmax(scores, r * stride, skipped, slots, tiles * TILE);
            }
            switch (n) {
                case 4 -> VectorMath.weightedRows4(scores, skipped, stride, slots, scales, values,
                        valueOffset, headDim, out, o, headDim);
                case 2 -> VectorMath.weightedRows2(scores, skipped, stride, slots, scales, values,
                        valueOffset, headDim, out, o, headDim);
                default -> VectorMath.weightedRows(scores, skipped, slots, scales[0], values,
                        valueOffset, headDim, out, o);
            }
            h += n;
        }
    }

    /**
     * Masks one query's scores outside its slots and turns them into exp(score - max); returns
     * 1 / their sum.
     */
    private static float softmax(float[] scores, int offset, int skipped, int slots,
            int scored) {
        Arrays.fill(scores, offset, offset + skipped, Float.NEGATIVE_INFINITY);
        Arrays.fill(scores, offset + skipped + slots, offset + scored, Float.NEGATIVE_INFINITY);
        float max = VectorMath.max(scores, offset, scored);
        return 1 / VectorMath.exp(scores, offset, 1f, max, scores, offset, scored);
    }
}
