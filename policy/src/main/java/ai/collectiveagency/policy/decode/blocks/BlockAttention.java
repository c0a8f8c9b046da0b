package ai.collectiveagency.policy.decode.blocks;

import ai.collectiveagency.policy.decode.DecodeRotary;
import ai.collectiveagency.policy.decode.VectorMath;
import ai.collectiveagency.policy.model.LlamaConfig;

import java.util.Arrays;

/**
 * Grouped-query attention of one query over a {@link BlockView}. Keys are stored rotated by their
 * position j inside their block; for each block the query at view position P is rotated by
 * {@code P − offset(block)} instead of P. RoPE scores depend only on the difference of the two
 * rotations, so the score equals ordinary attention with the key at its view position
 * {@code offset + j}. One softmax runs over the scores of all blocks together.
 *
 * <pre>
 *   query   (H·hD) after any q-norm, not yet rotated
 *   blocks  per layer (KV, capacity, hD) keys and values; query head h reads KV head h / groupSize
 *   out     (H·hD)  softmax(q·Kᵀ / sqrt(hD))·V per head, K and V the view's blocks concatenated
 * </pre>
 */
final class BlockAttention {

    private final DecodeRotary rotary;
    private final int heads;
    private final int groupSize;
    private final int headDim;
    private final float scale;

    BlockAttention(LlamaConfig config) {
        this.rotary = new DecodeRotary(config);
        this.heads = config.numHeads();
        this.groupSize = config.groupSize();
        this.headDim = config.headDim();
        this.scale = (float) (1 / Math.sqrt(headDim));
    }

    /**
     * Attends for every head of one query.
     *
     * @param position the query's position P in {@code view}
     * @param own the block the query's token was appended to, whose slots after {@code ownSlot}
     *     (appended in the same step by later rows) stay hidden; null when every slot is visible
     * @param ownSlot the query token's slot in {@code own}
     */
    void attend(BlockView view, int layer, float[] query, int queryAt, int position, KvBlock own,
            int ownSlot, float[] out, int outAt) {
        int total = 0;
        for (KvBlock block : view.blocks()) {
            total += visible(block, own, ownSlot);
        }
        if (total == 0) {
            throw new IllegalArgumentException("nothing to attend to in " + view.blocks());
        }
        float[] scores = new float[heads * total]; // (H, total)
        score(view, layer, query, queryAt, position, own, ownSlot, scores, total);
        float[] inverseSums = new float[heads];
        for (int h = 0; h < heads; h++) {
            float max = VectorMath.max(scores, h * total, total);
            inverseSums[h] = 1 / VectorMath.exp(scores, h * total, 1f, max, scores, h * total,
                    total);
        }
        Arrays.fill(out, outAt, outAt + heads * headDim, 0f);
        float[] weights = new float[total];
        float[] partial = new float[headDim];
        int base = 0;
        for (KvBlock block : view.blocks()) {
            int visible = visible(block, own, ownSlot);
            if (visible == 0) {
                continue;
            }
            float[] values = block.values(layer);
            for (int h = 0; h < heads; h++) {
                System.arraycopy(scores, h * total + base, weights, 0, visible);
                // a head's slots are consecutive rows of hD floats in the block
                VectorMath.weightedRows(weights, 0, visible, inverseSums[h], values,
                        block.offset(h / groupSize, 0), headDim, partial, 0);
                VectorMath.add(partial, 0, out, outAt + h * headDim, headDim);
            }
            base += visible;
        }
    }

    /** Fills scores (H, total): block by block, the query rotated by P − offset(block). */
    private void score(BlockView view, int layer, float[] query, int queryAt, int position,
            KvBlock own, int ownSlot, float[] scores, int total) {
        int half = headDim / 2;
        float[] cos = new float[half];
        float[] sin = new float[half];
        float[] rotated = new float[heads * headDim];
        int offset = 0;
        int base = 0;
        for (KvBlock block : view.blocks()) {
            int visible = visible(block, own, ownSlot);
            if (visible > 0) {
                rotary.angles(position - offset, scale, cos, sin, 0);
                System.arraycopy(query, queryAt, rotated, 0, heads * headDim);
                rotary.rotate(rotated, 0, heads, cos, sin, 0);
                float[] keys = block.keys(layer);
                for (int h = 0; h < heads; h++) {
                    int group = h / groupSize;
                    for (int s = 0; s < visible; s++) {
                        scores[h * total + base + s] = VectorMath.dot(rotated, h * headDim, keys,
                                block.offset(group, s), headDim);
                    }
                }
                base += visible;
            }
            offset += block.length();
        }
    }

    /** Slots of {@code block} the query sees: all, but in its own block none after its own. */
    private static int visible(KvBlock block, KvBlock own, int ownSlot) {
        return block == own ? ownSlot + 1 : block.length();
    }
}
