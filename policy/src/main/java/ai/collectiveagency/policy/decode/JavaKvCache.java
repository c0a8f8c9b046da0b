package ai.collectiveagency.policy.decode;

import ai.collectiveagency.policy.model.KvCache;
import ai.collectiveagency.policy.model.LlamaConfig;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

import java.util.Arrays;

/**
 * Keys and values of every layer in Java arrays, laid out (B, KV, capacity, hD) per layer, for a
 * batch of left-padded sequences that share slot indices: slot s of every row holds the same step.
 *
 * <p>Row b's first {@code padding[b]} slots are padding, never attended to; the token in slot s
 * of row b has position {@code s - padding[b]}. Slots [0, length) are filled.
 */
public final class JavaKvCache {

    private final int kvHeads;
    private final int headDim;
    private final int capacity;
    private final float[][] keys; // per layer (B, KV, capacity, hD)
    private final float[][] values;
    private int[] padding;
    private int length;

    private JavaKvCache(LlamaConfig config, int[] padding, int capacity) {
        this.kvHeads = config.numKvHeads();
        this.headDim = config.headDim();
        this.capacity = capacity;
        this.padding = padding.clone();
        int size = padding.length * kvHeads * capacity * headDim;
        keys = new float[config.numLayers()][size];
        values = new float[config.numLayers()][size];
    }

    /**
     * An empty cache for {@code padding.length} rows with room for {@code capacity} slots.
     *
     * @param padding leading padding slots of each row
     */
    public static JavaKvCache empty(LlamaConfig config, int[] padding, int capacity) {
        return new JavaKvCache(config, padding, capacity);
    }

    /**
     * A copy of an engine cache after prefill, with room for {@code capacity} slots in all.
     *
     * @param padding leading padding slots of each row (its prompt mask's zeros)
     */
    public static JavaKvCache copyOf(KvCache engine, LlamaConfig config, int[] padding,
            int capacity) {
        int length = (int) engine.length();
        if (length > capacity) {
            throw new IllegalArgumentException("cache holds " + length
                    + " slots, more than the capacity " + capacity);
        }
        JavaKvCache cache = new JavaKvCache(config, padding, capacity);
        for (int layer = 0; layer < cache.keys.length; layer++) {
            cache.copyRows(floats(engine.keys(layer)), cache.keys[layer], length);
            cache.copyRows(floats(engine.values(layer)), cache.values[layer], length);
        }
        cache.length = length;
        return cache;
    }

    /** (B, KV, S, hD) into (B, KV, capacity, hD). */
    private void copyRows(float[] source, float[] target, int slots) {
        int rows = padding.length * kvHeads;
        for (int r = 0; r < rows; r++) {
            System.arraycopy(source, r * slots * headDim, target, r * capacity * headDim,
                    slots * headDim);
        }
    }

    private static float[] floats(NDArray array) {
        if (array.getDataType() == DataType.FLOAT32) {
            return array.toFloatArray();
        }
        try (NDArray widened = array.toType(DataType.FLOAT32, false)) {
            return widened.toFloatArray();
        }
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

    /** Keys of {@code layer}, (B, KV, capacity, hD). */
    float[] keys(int layer) {
        return keys[layer];
    }

    /** Values of {@code layer}, (B, KV, capacity, hD). */
    float[] values(int layer) {
        return values[layer];
    }

    /** Offset of slot {@code slot} of KV head {@code head} of row {@code b}. */
    int offset(int b, int head, int slot) {
        return ((b * kvHeads + head) * capacity + slot) * headDim;
    }

    /** Marks the next slot filled (after every layer wrote it). */
    void advance() {
        if (length == capacity) {
            throw new IllegalStateException("KV cache full (" + capacity + " slots)");
        }
        length++;
    }

    /** Whether another slot can be written. */
    public boolean hasRoom() {
        return length < capacity;
    }

    /** Keeps only the rows in {@code rows} (ascending indices), in that order. */
    public void keepRows(int[] rows) {
        int rowSize = kvHeads * capacity * headDim;
        for (int i = 0; i < rows.length; i++) {
            if (i > 0 && rows[i] <= rows[i - 1]) {
                throw new IllegalArgumentException("rows must ascend: " + Arrays.toString(rows));
            }
            if (rows[i] != i) {
                for (int layer = 0; layer < keys.length; layer++) {
                    System.arraycopy(keys[layer], rows[i] * rowSize, keys[layer], i * rowSize,
                            rowSize);
                    System.arraycopy(values[layer], rows[i] * rowSize, values[layer],
                            i * rowSize, rowSize);
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
