package ai.collectiveagency.policy.decode.blocks;

import ai.collectiveagency.policy.model.LlamaConfig;

import java.util.Arrays;

/**
 * One text segment of a block KV cache (Asynchronous Reasoning, arXiv 2512.10931): its token ids
 * and, per layer, the keys and values of its tokens. A key is stored rotated by the token's
 * position inside the block (0, 1, 2, ... from the block's start) and is never re-rotated, so the
 * block can sit at any offset of any {@link BlockView}; values are stored as they are.
 *
 * <pre>
 *   keys, values   per layer (KV, capacity, hD): slot s of KV head g at (g·capacity + s)·hD
 * </pre>
 *
 * <p>A block grows by one slot per token a {@link BlockDecoder} step appends to it; the capacity
 * doubles when full. Blocks compare by identity: two blocks with the same text are two segments.
 */
public final class KvBlock {

    private static final int INITIAL_CAPACITY = 16;

    private final String name;
    private final int kvHeads;
    private final int headDim;
    private final float[][] keys; // per layer (KV, capacity, hD)
    private final float[][] values;
    private int[] tokens;
    private int capacity;
    private int length;

    /** An empty block; {@code name} only labels it in messages (e.g. "prompt", "thinker"). */
    public KvBlock(String name, LlamaConfig config) {
        this.name = name;
        this.kvHeads = config.numKvHeads();
        this.headDim = config.headDim();
        this.capacity = INITIAL_CAPACITY;
        this.tokens = new int[capacity];
        this.keys = new float[config.numLayers()][kvHeads * capacity * headDim];
        this.values = new float[config.numLayers()][kvHeads * capacity * headDim];
    }

    public String name() {
        return name;
    }

    /** Tokens stored. */
    public int length() {
        return length;
    }

    /** The block's token ids, in order. */
    public int[] tokens() {
        return Arrays.copyOf(tokens, length);
    }

    /**
     * Opens the next slot for {@code token} and returns its position inside the block; the caller
     * then writes the slot's key and value in every layer ({@link #write}).
     */
    int append(int token) {
        if (length == capacity) {
            grow();
        }
        tokens[length] = token;
        return length++;
    }

    /**
     * Stores one KV head's key (already rotated by {@code slot}) and value for a slot.
     *
     * @param source the key at {@code keyAt} and the value at {@code valueAt}, hD floats each
     */
    void write(int layer, int slot, int head, float[] source, int keyAt, int valueAt) {
        int at = offset(head, slot);
        System.arraycopy(source, keyAt, keys[layer], at, headDim);
        System.arraycopy(source, valueAt, values[layer], at, headDim);
    }

    /** Keys of {@code layer}, (KV, capacity, hD); valid until the block next grows. */
    float[] keys(int layer) {
        return keys[layer];
    }

    /** Values of {@code layer}, (KV, capacity, hD); valid until the block next grows. */
    float[] values(int layer) {
        return values[layer];
    }

    /** Offset of slot {@code slot} of KV head {@code head} in a layer's keys or values. */
    int offset(int head, int slot) {
        return (head * capacity + slot) * headDim;
    }

    /** Doubles the capacity; each head's slots stay consecutive rows of hD floats. */
    private void grow() {
        int larger = capacity * 2;
        for (int layer = 0; layer < keys.length; layer++) {
            keys[layer] = widen(keys[layer], larger);
            values[layer] = widen(values[layer], larger);
        }
        tokens = Arrays.copyOf(tokens, larger);
        capacity = larger;
    }

    private float[] widen(float[] old, int larger) {
        float[] wider = new float[kvHeads * larger * headDim];
        for (int g = 0; g < kvHeads; g++) {
            System.arraycopy(old, g * capacity * headDim, wider, g * larger * headDim,
                    length * headDim);
        }
        return wider;
    }

    @Override
    public String toString() {
        return "KvBlock[" + name + ", " + length + " tokens]";
    }
}
