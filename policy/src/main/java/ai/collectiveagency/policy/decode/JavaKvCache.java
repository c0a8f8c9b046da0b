package ai.collectiveagency.policy.decode;

import ai.collectiveagency.policy.engine.NativeFloats;
import ai.collectiveagency.policy.model.KvCache;
import ai.collectiveagency.policy.model.LlamaConfig;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

import java.util.Arrays;

/**
 * Keys and values of every layer in Java arrays, for a batch of left-padded sequences that share
 * slot indices: slot s of every row holds the same step.
 *
 * <pre>
 *   keys    per layer (B, KV, tiles, hD, T)   T = {@link #TILE} slots, the vector width: tile j
 *                                            holds slots [jT, jT + T), one key dimension a vector
 *   values  per layer (B, KV, capacity, hD)   one slot's value is a run
 * </pre>
 *
 * <p>Each layout serves its half of {@link DecodeAttention}: the scores q·kᵀ are computed a tile
 * of slots at a time, one FMA per key dimension and no horizontal sum per slot, reading each
 * tile as one contiguous run of hD vectors; the weighted sum of values goes a vector of
 * dimensions at a time. Writing a step's key scatters hD floats, once per step, against reading
 * every slot's key once per step per query head.
 *
 * <p>Row b's first {@code padding[b]} slots are padding, never attended to; the token in slot s
 * of row b has position {@code s - padding[b]}. Slots [0, length) are filled; the others hold
 * zeros or, in arrays taken over from an earlier cache (which may be longer than this layout),
 * that cache's values.
 */
public final class JavaKvCache {

    /** Slots per key tile: one vector of the decode kernels' width. */
    static final int TILE = VectorMath.LANES;

    private final int kvHeads;
    private final int headDim;
    private final int capacity;
    private final int keyPlane; // floats of one (row, KV head) in keys: whole tiles · hD · TILE
    private final int valuePlane; // floats of one (row, KV head) in values: capacity · hD
    private final float[][] keys; // per layer (B, KV, tiles, hD, TILE)
    private final float[][] values; // per layer (B, KV, capacity, hD)
    private int[] padding;
    private int length;

    private JavaKvCache(LlamaConfig config, int[] padding, int capacity, JavaKvCache previous) {
        this.kvHeads = config.numKvHeads();
        this.headDim = config.headDim();
        this.capacity = capacity;
        this.padding = padding.clone();
        int tiles = (capacity + TILE - 1) / TILE; // capacity rounded up to whole tiles
        this.keyPlane = tiles * headDim * TILE;
        this.valuePlane = capacity * headDim;
        int layers = config.numLayers();
        int keyFloats = Math.toIntExact((long) padding.length * kvHeads * keyPlane);
        int valueFloats = Math.toIntExact((long) padding.length * kvHeads * valuePlane);
        if (previous != null && previous.keys.length == layers
                && fits(previous.keys[0].length, keyFloats)
                && fits(previous.values[0].length, valueFloats)) {
            keys = previous.keys;
            values = previous.values;
        } else {
            keys = new float[layers][keyFloats];
            values = new float[layers][valueFloats];
        }
    }

    /**
     * Whether arrays of {@code held} floats may hold {@code needed}: large enough, and at most
     * twice as large, so that a cache kept for reuse after one large generation is let go by the
     * next smaller one instead of staying with its owner.
     */
    private static boolean fits(int held, int needed) {
        return held >= needed && held <= 2L * needed;
    }

    /**
     * An empty cache for {@code padding.length} rows with room for {@code capacity} slots.
     *
     * @param padding leading padding slots of each row
     */
    public static JavaKvCache empty(LlamaConfig config, int[] padding, int capacity) {
        return empty(config, padding, capacity, null);
    }

    /**
     * As {@link #empty(LlamaConfig, int[], int)}, laid out in the arrays of {@code previous}
     * where they are large enough and at most twice what this cache needs (else in new ones).
     * A generation made a whole cache (38 MB at batch 16 for the 40M bench model): a service's
     * heap grew through its first generations, faulting in fresh pages as it went. What the old
     * arrays hold never reaches a result: every slot of a row's own is written before attention
     * reads it, and the scores of slots a key tile covers outside them are masked before the
     * softmax ({@link DecodeAttention}).
     *
     * @param previous a cache no longer in use (its arrays become this one's), or null
     */
    public static JavaKvCache empty(LlamaConfig config, int[] padding, int capacity,
            JavaKvCache previous) {
        return new JavaKvCache(config, padding, capacity, previous);
    }

    /**
     * A copy of an engine cache after prefill, with room for {@code capacity} slots in all.
     *
     * @param padding leading padding slots of each row (its prompt mask's zeros)
     */
    public static JavaKvCache copyOf(KvCache engine, LlamaConfig config, int[] padding,
            int capacity) {
        return copyOf(engine, config, padding, capacity, null);
    }

    /**
     * As {@link #copyOf(KvCache, LlamaConfig, int[], int)}, in the arrays of {@code previous}
     * where they are large enough ({@link #empty(LlamaConfig, int[], int, JavaKvCache)}).
     */
    public static JavaKvCache copyOf(KvCache engine, LlamaConfig config, int[] padding,
            int capacity, JavaKvCache previous) {
        int length = (int) engine.length();
        if (length > capacity) {
            throw new IllegalArgumentException("cache holds " + length
                    + " slots, more than the capacity " + capacity);
        }
        JavaKvCache cache = new JavaKvCache(config, padding, capacity, previous);
        for (int layer = 0; layer < cache.keys.length; layer++) {
            cache.copyKeys(floats(engine.keys(layer)), cache.keys[layer], length);
            cache.copyValues(floats(engine.values(layer)), cache.values[layer], length);
        }
        cache.length = length;
        return cache;
    }

    /** The engine's (B, KV, S, hD) into (B, KV, tiles, hD, TILE). */
    private void copyKeys(float[] source, float[] target, int slots) {
        int rows = padding.length * kvHeads;
        for (int r = 0; r < rows; r++) {
            for (int s = 0; s < slots; s++) {
                VectorMath.scatterKey(source, (r * slots + s) * headDim, headDim, target,
                        r * keyPlane, s);
            }
        }
    }

    /** The engine's (B, KV, S, hD) into (B, KV, capacity, hD). */
    private void copyValues(float[] source, float[] target, int slots) {
        int rows = padding.length * kvHeads;
        for (int r = 0; r < rows; r++) {
            System.arraycopy(source, r * slots * headDim, target, r * valuePlane,
                    slots * headDim);
        }
    }

    private static float[] floats(NDArray array) {
        if (array.getDataType() == DataType.FLOAT32) {
            return NativeFloats.copy(array, new float[Math.toIntExact(array.size())]);
        }
        try (NDArray widened = array.toType(DataType.FLOAT32, false)) {
            return widened.toFloatArray();
        }
    }

    /** Whether this cache lays out in the same arrays as {@code other} (one took the other's). */
    public boolean sharesArraysWith(JavaKvCache other) {
        return keys == other.keys && values == other.values;
    }

    /** Rows in the batch. */
    public int batch() {
        return padding.length;
    }

    /** Filled slots; the next token goes to slot {@code length()}. */
    public int length() {
        return length;
    }

    public int capacity() {
        return capacity;
    }

    /** Leading padding slots of row {@code b}. */
    public int padding(int b) {
        return padding[b];
    }

    /** Position of the token in the next slot of row {@code b}. */
    public int nextPosition(int b) {
        return length - padding[b];
    }

    /** Keys of {@code layer}, (B, KV, tiles, hD, {@link #TILE}) from index 0 (maybe longer). */
    float[] keys(int layer) {
        return keys[layer];
    }

    /** Values of {@code layer}, (B, KV, capacity, hD) from index 0 (maybe longer). */
    float[] values(int layer) {
        return values[layer];
    }

    /**
     * Offset in {@link #keys} of the tile that holds slot {@code slot} of KV head {@code head} of
     * row {@code b}: dimension d of that tile's slot j is at {@code keyTile + d·TILE + j}, and the
     * next tile follows at {@code keyTile + hD·TILE}.
     */
    int keyTile(int b, int head, int slot) {
        return (b * kvHeads + head) * keyPlane + slot / TILE * headDim * TILE;
    }

    /** Offset in {@link #values} of slot {@code slot} of KV head {@code head} of row {@code b}. */
    int valueOffset(int b, int head, int slot) {
        return (b * kvHeads + head) * valuePlane + slot * headDim;
    }

    /**
     * Writes the key and value of KV head {@code head} of row {@code b} into slot {@code slot}
     * (at or after {@link #length()}) of {@code layer}, from hD floats of {@code source} at each
     * offset.
     */
    void write(int layer, int b, int head, int slot, float[] source, int key, int value) {
        VectorMath.scatterKey(source, key, headDim, keys[layer], keyTile(b, head, 0), slot);
        System.arraycopy(source, value, values[layer], valueOffset(b, head, slot), headDim);
    }

    /** Marks the next {@code slots} slots filled (after every layer wrote them). */
    void advance(int slots) {
        if (length + slots > capacity) {
            throw new IllegalStateException("KV cache full (" + capacity + " slots)");
        }
        length += slots;
    }

    /** Keeps only the rows in {@code rows} (ascending indices), in that order. */
    public void keepRows(int[] rows) {
        int keyRow = kvHeads * keyPlane;
        int valueRow = kvHeads * valuePlane;
        for (int i = 0; i < rows.length; i++) {
            if (i > 0 && rows[i] <= rows[i - 1]) {
                throw new IllegalArgumentException("rows must ascend: " + Arrays.toString(rows));
            }
            if (rows[i] != i) {
                for (int layer = 0; layer < keys.length; layer++) {
                    System.arraycopy(keys[layer], rows[i] * keyRow, keys[layer], i * keyRow,
                            keyRow);
                    System.arraycopy(values[layer], rows[i] * valueRow, values[layer],
                            i * valueRow, valueRow);
                }
            }
        }
        int[] kept = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            kept[i] = padding[rows[i]];
        }
        padding = kept;
    }
}
