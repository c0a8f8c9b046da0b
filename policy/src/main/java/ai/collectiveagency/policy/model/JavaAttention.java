package ai.collectiveagency.policy.model;

import ai.collectiveagency.policy.decode.ParallelRange;
import ai.collectiveagency.policy.decode.ThreadArrays;
import ai.collectiveagency.policy.decode.VectorMath;
import ai.collectiveagency.policy.engine.NativeFloats;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * Causal grouped-query attention of a forward pass that nothing differentiates (a prompt's
 * prefill), in Java: softmax(q·kᵀ + mask)·v for every query against the keys it may see.
 *
 * <pre>
 *   queries  (B, T, H, hD)    rotated and scaled by 1/sqrt(hD)
 *   keys     (B, KV, S, hD)   the last T of the S positions are the queries' own
 *   values   (B, KV, S, hD)
 *   out      (B, T, H, hD)    query t of row b sees key s when s <= S - T + t and attention[b][s]
 * </pre>
 *
 * <p>The engine computes this op by op: small batched matmuls (each KV head's group of query
 * heads stacked as one matrix since 2026-12-06; before, the keys were copied for each query
 * head), an additive mask over the square, a softmax, a second product. At the bench's prefill
 * (8 x 256 tokens, hD 64) that took 13-14 ms a layer here (with the copies), 5x its FLOP
 * bound. Here the keys are laid out in tiles of one vector of positions, four queries of one
 * head are scored against a tile with each of its vectors loaded once, each query's softmax
 * runs over the keys it may see only, and the values are summed for four queries at once.
 *
 * <p>A query that may see no key (a padding position) gets the mean of the values it would see
 * causally, and nobody reads it: every later query masks its key.
 */
final class JavaAttention {

    private static final int LANES = VectorMath.LANES; // positions in a key tile
    private static final int ROWS = 4; // queries of one head scored together
    /** Fewer new queries than this (a decode step) are left to the engine. */
    static final int MIN_QUERIES = ROWS;
    private static final int GROUPS_GRAIN = 4; // parts handed to a thread are multiples of it
    private static final int FLOATS_GRAIN = 32 * 1024; // floats a part copies: 128 KiB
    private static final int TOKENS_GRAIN = 64; // tokens whose values a part lays out by head
    /** Each thread's weights (ROWS rows of scores) and softmax scales, kept from call to call. */
    private static final ThreadArrays SCRATCH = new ThreadArrays(2);

    private final int heads;
    private final int kvHeads;
    private final int groupSize; // query heads per KV head
    private final int headDim;
    private final ParallelRange range;

    /**
     * Whether a head is whole vectors, which the value sums take a vector at a time. Heads of
     * 12 floats at 16 lanes were summed in scalar code: self-play on the 2-layer qwen2 fixture
     * ran 10-20% slower than with the engine's attention (9.5-9.7 against 10.5-11.8 groups/s),
     * where the demo's model (heads of 32) ran 4-10% faster.
     */
    static boolean fits(LlamaConfig config) {
        return config.headDim() % LANES == 0;
    }

    JavaAttention(LlamaConfig config, ParallelRange range) {
        this.heads = config.numHeads();
        this.kvHeads = config.numKvHeads();
        this.groupSize = config.groupSize();
        this.headDim = config.headDim();
        this.range = range;
    }

    /**
     * @param q queries (B, T, H, hD)
     * @param k keys (B, KV, S, hD)
     * @param v values (B, KV, S, hD)
     * @param buffers this forward pass's attention mask and arrays
     * @return (B, T, H·hD), owned by q's manager
     */
    NDArray attend(NDArray q, NDArray k, NDArray v, Buffers buffers) {
        int[][] attention = buffers.attention;
        Shape shape = q.getShape();
        int time = (int) shape.get(1);
        long positions = attention[0].length;
        Shape keys = new Shape(attention.length, kvHeads, positions, headDim);
        if (!shape.equals(new Shape(attention.length, time, heads, headDim)) || time > positions
                || !k.getShape().equals(keys) || !v.getShape().equals(keys)) {
            throw new IllegalArgumentException("queries " + shape + ", keys " + k.getShape()
                    + " and values " + v.getShape() + " do not match an attention mask of "
                    + attention.length + " x " + positions);
        }
        buffers.queries = copied(q, buffers.queries);
        buffers.keys = copied(k, buffers.keys);
        buffers.values = copied(v, buffers.values);
        return attendCopied(q, buffers, time, false);
    }

    /**
     * {@link #attend} for a pass with no cached positions (a prompt's first), from the keys and
     * values as the projections made them: the keys are tiled from that layout and the values
     * laid out by head here, in Java, where the engine first copied its (B, KV, T, hD) views of
     * them contiguous. Prefills of the bench model (8 x 256, one process, six interleaved
     * rounds, best of 8 each): median 269.5 ms against 274.8 (Zen 5, 2 cores).
     *
     * @param q queries (B, T, H, hD)
     * @param k keys (B, T, KV, hD)
     * @param v values (B, T, KV, hD)
     */
    NDArray attendFirst(NDArray q, NDArray k, NDArray v, Buffers buffers) {
        int[][] attention = buffers.attention;
        Shape shape = q.getShape();
        int time = (int) shape.get(1);
        Shape keys = new Shape(attention.length, time, kvHeads, headDim);
        if (!shape.equals(new Shape(attention.length, time, heads, headDim))
                || time != attention[0].length || !k.getShape().equals(keys)
                || !v.getShape().equals(keys)) {
            throw new IllegalArgumentException("queries " + shape + ", keys " + k.getShape()
                    + " and values " + v.getShape() + " of a first pass do not match an"
                    + " attention mask of " + attention.length + " x " + attention[0].length);
        }
        buffers.queries = copied(q, buffers.queries);
        buffers.keys = copied(k, buffers.keys);
        buffers.values = Buffers.sized(buffers.values, v.size());
        byHead(floats(v), buffers.values, attention.length, time);
        return attendCopied(q, buffers, time, true);
    }

    /**
     * x's floats in {@code reused} (or a new array where it is not x's size), the copy split
     * over the threads: on one thread a layer's copies in and out were about a tenth of the
     * bench prefill's attention, with the other core idle.
     */
    private float[] copied(NDArray x, float[] reused) {
        float[] into = Buffers.sized(reused, x.size());
        Optional<ByteBuffer> memory = NativeFloats.view(x);
        if (memory.isEmpty()) {
            return NativeFloats.copy(x, into);
        }
        FloatBuffer from = memory.get().asFloatBuffer();
        range.run(into.length, FLOATS_GRAIN,
                (first, end) -> from.duplicate().get(first, into, first, end - first));
        return into;
    }

    /** The values of x: its memory where Java can view it, else a contiguous copy. */
    private static FloatBuffer floats(NDArray x) {
        return NativeFloats.view(x).map(ByteBuffer::asFloatBuffer).orElseGet(() ->
                FloatBuffer.wrap(NativeFloats.copy(x, new float[Math.toIntExact(x.size())])));
    }

    /** Values (B, T, KV, hD) as (B, KV, T, hD), the tokens split over the threads. */
    private void byHead(FloatBuffer byPosition, float[] into, int batch, int time) {
        range.run(batch * time, TOKENS_GRAIN, (first, end) -> {
            FloatBuffer values = byPosition.duplicate();
            for (int token = first; token < end; token++) {
                int b = token / time;
                int t = token % time;
                for (int kv = 0; kv < kvHeads; kv++) {
                    values.get((token * kvHeads + kv) * headDim, into,
                            ((b * kvHeads + kv) * time + t) * headDim, headDim);
                }
            }
        });
    }

    /**
     * The attention of the queries, keys and values in {@code buffers}, the keys there by
     * position or by head.
     */
    private NDArray attendCopied(NDArray q, Buffers buffers, int time, boolean keysByPosition) {
        int[][] attention = buffers.attention;
        Shape shape = q.getShape();
        Pass pass = new Pass(buffers, time, keysByPosition);
        int groups = (time + ROWS - 1) / ROWS;
        range.run(attention.length * heads * groups, GROUPS_GRAIN, (start, end) -> {
            float[] weights = SCRATCH.get(0, ROWS * pass.tiles * LANES);
            float[] scales = SCRATCH.get(1, ROWS);
            for (int item = start; item < end; item++) {
                int bh = item / groups;
                pass.group(bh / heads, bh % heads, (item % groups) * ROWS, weights, scales);
            }
        });
        return NativeFloats.create(q.getManager(),
                new Shape(shape.get(0), time, (long) heads * headDim), memory -> range.run(
                        pass.out.length, FLOATS_GRAIN, (first, end) -> memory.duplicate()
                                .put(first, pass.out, first, end - first)));
    }

    /**
     * One forward pass's attention mask, with its padding rows made once, and the arrays its
     * layers reuse: they all have the same sizes.
     */
    static final class Buffers {
        private final int[][] attention; // (B, S) 1 for a real position, 0 for padding
        private final float[][] padding;
        private float[] queries;
        private float[] keys;
        private float[] values;
        private float[] keyTiles;
        private float[] out;

        Buffers(int[][] attention) {
            this.attention = attention;
            this.padding = paddingMasks(attention);
        }

        /** {@code array} when it holds exactly {@code size} floats, else a new one. */
        private static float[] sized(float[] array, long size) {
            return array != null && array.length == size ? array
                    : new float[Math.toIntExact(size)];
        }
    }

    /** One call's arrays and sizes. */
    private final class Pass {
        final float[] queries;
        final float[] keyTiles;
        final float[] values;
        final float[][] padding;
        final float[] out;
        final int time;
        final int positions;
        final int past;
        final int tiles;

        Pass(Buffers buffers, int time, boolean keysByPosition) {
            int batch = buffers.attention.length;
            this.queries = buffers.queries;
            this.values = buffers.values;
            this.time = time;
            this.positions = buffers.attention[0].length;
            this.past = positions - time;
            this.tiles = (positions + LANES - 1) / LANES;
            buffers.keyTiles = Buffers.sized(buffers.keyTiles,
                    (long) batch * kvHeads * tiles * headDim * LANES);
            this.keyTiles = tiled(buffers.keys, keysByPosition, buffers.keyTiles, batch * kvHeads,
                    positions, tiles);
            this.padding = buffers.padding;
            buffers.out = Buffers.sized(buffers.out, (long) batch * time * heads * headDim);
            this.out = buffers.out;
        }

        /**
         * Queries [first, first + ROWS) of head h in row b (fewer at the end): scores against
         * the tiles up to the last one's newest key, a softmax per query over the keys it may
         * see, then the values weighted.
         */
        void group(int b, int h, int first, float[] weights, float[] scales) {
            int count = Math.min(ROWS, time - first);
            int kv = h / groupSize;
            int stride = tiles * LANES; // one query's row of weights
            int seen = past + first + count; // keys the group's last query may see
            int scored = (seen - 1) / LANES + 1;
            int position = heads * headDim; // one position's queries or outputs
            int at = ((b * time + first) * heads + h) * headDim;
            int keyBase = (b * kvHeads + kv) * tiles * headDim * LANES;
            int valueBase = (b * kvHeads + kv) * positions * headDim;
            if (count == ROWS) {
                VectorMath.tileDots4(queries, at, position, headDim, keyTiles, keyBase, scored,
                        weights, stride);
            } else {
                for (int r = 0; r < count; r++) {
                    VectorMath.tileDots(queries, at + r * position, headDim, keyTiles, keyBase,
                            scored, weights, r * stride);
                }
            }
            for (int r = 0; r < count; r++) {
                scales[r] = softmax(weights, r * stride, past + first + r + 1, seen, padding[b]);
            }
            if (count == ROWS) {
                VectorMath.weightedRows4(weights, 0, stride, seen, scales, values, valueBase,
                        headDim, out, at, position);
            } else {
                for (int r = 0; r < count; r++) {
                    VectorMath.weightedRows(weights, r * stride, seen, scales[r], values,
                            valueBase, headDim, out, at + r * position);
                }
            }
        }
    }

    /**
     * Turns one query's scores over [0, visible) into exp(score - max), masking padding keys,
     * and zeroes the rest up to {@code width}; returns 1 / their sum.
     *
     * <p>The scores past the visible ones up to a whole vector are set to -inf, so max and exp
     * run on whole vectors and exp gives those 0: exp's scalar tail (Math.exp per score) took
     * about half of its time on rows of 125 scores, and a prefill's rows end anywhere. The row
     * has room: its stride is whole tiles of one vector.
     */
    private static float softmax(float[] w, int offset, int visible, int width, float[] padding) {
        if (padding != null) {
            VectorMath.add(padding, 0, w, offset, visible);
        }
        int whole = (visible + LANES - 1) / LANES * LANES;
        Arrays.fill(w, offset + visible, offset + whole, Float.NEGATIVE_INFINITY);
        float max = VectorMath.max(w, offset, whole);
        if (max == Float.NEGATIVE_INFINITY) { // sees no key: a padding position
            Arrays.fill(w, offset, offset + visible, 1f);
            Arrays.fill(w, offset + visible, offset + Math.max(whole, width), 0f);
            return 1f / visible;
        }
        float sum = VectorMath.exp(w, offset, 1f, max, w, offset, whole);
        if (width > whole) {
            Arrays.fill(w, offset + whole, offset + width, 0f);
        }
        return 1 / sum;
    }

    /**
     * Keys (N, S, hD), N = B·KV planes, or by position (B, S, KV, hD), as tiles (N, tiles, hD,
     * LANES) in {@code out}. Lanes past the last key keep what they held; no weight reads them.
     */
    private float[] tiled(float[] keys, boolean byPosition, float[] out, int planes,
            int positions, int tiles) {
        range.run(planes, 1, (start, end) -> {
            for (int n = start; n < end; n++) {
                int b = n / kvHeads;
                int kv = n % kvHeads;
                int to = n * tiles * headDim * LANES;
                for (int s = 0; s < positions; s++) {
                    int from = byPosition ? ((b * positions + s) * kvHeads + kv) * headDim
                            : (n * positions + s) * headDim;
                    VectorMath.scatterKey(keys, from, headDim, out, to, s);
                }
            }
        });
        return out;
    }

    /** Per row: null when every position is real, else 0 for real and -inf for padding. */
    private static float[][] paddingMasks(int[][] attention) {
        float[][] masks = new float[attention.length][];
        for (int b = 0; b < attention.length; b++) {
            int[] row = attention[b];
            if (Arrays.stream(row).allMatch(a -> a != 0)) {
                continue;
            }
            masks[b] = new float[row.length];
            for (int s = 0; s < row.length; s++) {
                masks[b][s] = row[s] == 0 ? Float.NEGATIVE_INFINITY : 0f;
            }
        }
        return masks;
    }
}
