package ai.collectiveagency.policy.decode.blocks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.policy.decode.DecodeRotary;
import ai.collectiveagency.policy.model.LlamaConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Attention over a view of blocks, whose keys are rotated inside their blocks, against ordinary
 * grouped-query attention over the view's blocks concatenated, keys rotated at their positions in
 * the concatenation (computed here in double precision).
 */
class BlockAttentionTest {

    // 4 query heads over 2 KV heads (GQA), hD 8, one layer
    private static final LlamaConfig CONFIG = new LlamaConfig("llama", 32, 48, 1, 4, 2, 8, 50,
            128, 1e-5, 10000, false, false, null);
    private static final int HEADS = 4;
    private static final int KV_HEADS = 2;
    private static final int HEAD_DIM = 8;

    private final Random random = new Random(7);
    private final DecodeRotary rotary = new DecodeRotary(CONFIG);

    /** Raw (unrotated) keys and values of every token written, block by block. */
    private final List<float[]> rawKeys = new ArrayList<>();
    private final List<float[]> rawValues = new ArrayList<>();
    private final List<KvBlock> owners = new ArrayList<>();

    @Test
    void viewOfBlocksWithAnEmptyOneEqualsAttentionOverTheConcatenation() {
        KvBlock first = filled("first", 5);
        KvBlock empty = filled("empty", 0);
        KvBlock outside = filled("outside the view", 4);
        KvBlock middle = filled("middle", 3);
        KvBlock own = filled("own", 2);
        BlockView view = BlockView.of(first, empty, middle, own);
        float[] query = gaussians(HEADS * HEAD_DIM);

        float[] blocks = attend(view, query, own, 1);

        double[] expected = concatenated(List.of(first, middle, own), query, 5 + 3 + 2, 9);
        for (int i = 0; i < expected.length; i++) {
            assertThat(blocks[i]).as("output %d", i).isCloseTo((float) expected[i],
                    within(1e-5f));
        }
    }

    @Test
    void slotsAppendedLaterToTheQuerysOwnBlockStayHidden() {
        KvBlock own = filled("own", 3); // the query holds slot 1; slot 2 came from a later row
        KvBlock after = filled("after", 2);
        KvBlock before = filled("before", 4);
        BlockView view = BlockView.of(before, own, after);
        float[] query = gaussians(HEADS * HEAD_DIM);

        float[] blocks = attend(view, query, own, 1);

        // the query at view position 4 + 1 sees before, own's slots 0-1 and all of after
        List<float[]> keys = new ArrayList<>();
        List<float[]> values = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        collect(before, 4, 0, keys, values, positions);
        collect(own, 2, 4, keys, values, positions);
        collect(after, 2, 7, keys, values, positions);
        double[] expected = reference(keys, values, positions, query, 5);
        for (int i = 0; i < expected.length; i++) {
            assertThat(blocks[i]).as("output %d", i).isCloseTo((float) expected[i],
                    within(1e-5f));
        }
    }

    private float[] attend(BlockView view, float[] query, KvBlock own, int ownSlot) {
        float[] out = new float[HEADS * HEAD_DIM];
        int position = view.offset(own) + ownSlot;
        new BlockAttention(CONFIG).attend(view, 0, query, 0, position, own, ownSlot, out, 0);
        return out;
    }

    /** Ordinary attention over {@code blocks} laid end to end, with {@code visible} tokens. */
    private double[] concatenated(List<KvBlock> blocks, float[] query, int visible,
            int position) {
        List<float[]> keys = new ArrayList<>();
        List<float[]> values = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        int at = 0;
        for (KvBlock block : blocks) {
            int n = Math.min(block.length(), visible - at);
            collect(block, n, at, keys, values, positions);
            at += block.length();
        }
        return reference(keys, values, positions, query, position);
    }

    /** The first {@code n} tokens of {@code block}, placed from position {@code start}. */
    private void collect(KvBlock block, int n, int start, List<float[]> keys,
            List<float[]> values, List<Integer> positions) {
        int j = 0;
        for (int t = 0; t < owners.size() && j < n; t++) {
            if (owners.get(t) == block) {
                keys.add(rawKeys.get(t));
                values.add(rawValues.get(t));
                positions.add(start + j++);
            }
        }
    }

    /** softmax(q·kᵀ/sqrt(hD))·v per head, q and k rotated at their global positions. */
    private double[] reference(List<float[]> keys, List<float[]> values, List<Integer> positions,
            float[] query, int position) {
        float[] q = query.clone();
        rotate(q, HEADS, position);
        double[] out = new double[HEADS * HEAD_DIM];
        for (int h = 0; h < HEADS; h++) {
            int g = h / (HEADS / KV_HEADS);
            double[] scores = new double[keys.size()];
            double max = Double.NEGATIVE_INFINITY;
            for (int s = 0; s < keys.size(); s++) {
                float[] k = keys.get(s).clone();
                rotate(k, KV_HEADS, positions.get(s));
                double dot = 0;
                for (int d = 0; d < HEAD_DIM; d++) {
                    dot += (double) q[h * HEAD_DIM + d] * k[g * HEAD_DIM + d];
                }
                scores[s] = dot / Math.sqrt(HEAD_DIM);
                max = Math.max(max, scores[s]);
            }
            double sum = 0;
            for (int s = 0; s < scores.length; s++) {
                scores[s] = Math.exp(scores[s] - max);
                sum += scores[s];
            }
            for (int s = 0; s < scores.length; s++) {
                for (int d = 0; d < HEAD_DIM; d++) {
                    out[h * HEAD_DIM + d] += scores[s] / sum * values.get(s)[g * HEAD_DIM + d];
                }
            }
        }
        return out;
    }

    /** A block of {@code n} tokens with random keys (stored rotated by slot) and values. */
    private KvBlock filled(String name, int n) {
        KvBlock block = new KvBlock(name, CONFIG);
        for (int j = 0; j < n; j++) {
            float[] key = gaussians(KV_HEADS * HEAD_DIM);
            float[] value = gaussians(KV_HEADS * HEAD_DIM);
            rawKeys.add(key);
            rawValues.add(value);
            owners.add(block);
            float[] row = new float[2 * KV_HEADS * HEAD_DIM]; // keys then values
            System.arraycopy(key, 0, row, 0, key.length);
            System.arraycopy(value, 0, row, key.length, value.length);
            int slot = block.append(0);
            rotate(row, KV_HEADS, slot);
            for (int g = 0; g < KV_HEADS; g++) {
                block.write(0, slot, g, row, g * HEAD_DIM, (KV_HEADS + g) * HEAD_DIM);
            }
        }
        return block;
    }

    private void rotate(float[] v, int heads, int position) {
        float[] cos = new float[HEAD_DIM / 2];
        float[] sin = new float[HEAD_DIM / 2];
        rotary.angles(position, 1f, cos, sin, 0);
        rotary.rotate(v, 0, heads, cos, sin, 0);
    }

    private float[] gaussians(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
