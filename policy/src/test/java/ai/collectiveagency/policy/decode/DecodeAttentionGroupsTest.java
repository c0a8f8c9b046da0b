package ai.collectiveagency.policy.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.policy.model.LlamaConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

/**
 * A decode step's attention takes the query heads of one KV head together, four, two or one at
 * a time. For groups of 1, 2, 3, 4 and 7 heads, every head's output must be softmax(q·Kᵀ)·V over
 * its row's real slots (computed here in double), with a row left-padded into the middle of a
 * key tile and a row whose new token is still padding (zeros). The new token's key and value are
 * written by the placing step that attention runs for each (row, KV head) before reading them,
 * once per pair.
 */
class DecodeAttentionGroupsTest {

    private static final int HEAD_DIM = 12;
    private static final int CACHED = 9; // slots before the new token
    private static final int[] PADDING = {0, 3, CACHED + 1};

    @ParameterizedTest(name = "heads={0} kvHeads={1}")
    @CsvSource({"3, 3", "4, 2", "6, 2", "8, 2", "7, 1"})
    void everyHeadAttendsOverItsRowsRealSlots(int heads, int kvHeads) {
        LlamaConfig config = new LlamaConfig("llama", heads * HEAD_DIM, 16, 1, heads, kvHeads,
                HEAD_DIM, 10, 64, 1e-5, 10000, false, false, null);
        int batch = PADDING.length;
        int width = (heads + 2 * kvHeads) * HEAD_DIM;
        SplittableRandom random = new SplittableRandom(heads * 10L + kvHeads);
        JavaKvCache cache = JavaKvCache.empty(config, PADDING, CACHED + 4);
        float[][][][] keys = new float[batch][kvHeads][CACHED + 1][];
        float[][][][] values = new float[batch][kvHeads][CACHED + 1][];
        float[][][] newInputs = new float[batch][kvHeads][];
        for (int slot = 0; slot <= CACHED; slot++) {
            if (slot == CACHED) {
                cache.advance(CACHED); // the new token's slot is written, not yet counted
            }
            for (int b = 0; b < batch; b++) {
                for (int g = 0; g < kvHeads; g++) {
                    float[] source = randoms(random, 2 * HEAD_DIM);
                    keys[b][g][slot] = java.util.Arrays.copyOfRange(source, 0, HEAD_DIM);
                    values[b][g][slot] = java.util.Arrays.copyOfRange(source, HEAD_DIM,
                            2 * HEAD_DIM);
                    if (slot < CACHED) {
                        cache.write(0, b, g, slot, source, 0, HEAD_DIM);
                    } else {
                        newInputs[b][g] = source;
                    }
                }
            }
        }
        float[] qkv = randoms(random, batch * width);
        float[] out = new float[batch * heads * HEAD_DIM];
        java.util.Arrays.fill(out, Float.NaN);

        java.util.concurrent.atomic.AtomicIntegerArray placed =
                new java.util.concurrent.atomic.AtomicIntegerArray(batch * kvHeads);
        new DecodeAttention(config, new ParallelRange(2)).attend(cache, 0, 1, qkv, width, out,
                (token, group) -> {
                    placed.incrementAndGet(token * kvHeads + group);
                    cache.write(0, token, group, CACHED, newInputs[token][group], 0, HEAD_DIM);
                });

        for (int pair = 0; pair < batch * kvHeads; pair++) {
            assertThat(placed.get(pair)).as("times (row, KV head) %d was placed", pair)
                    .isEqualTo(1);
        }

        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                int g = h / (heads / kvHeads);
                double[] expected = new double[HEAD_DIM];
                if (PADDING[b] <= CACHED) {
                    double[] scores = new double[CACHED + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int s = PADDING[b]; s <= CACHED; s++) {
                        for (int d = 0; d < HEAD_DIM; d++) {
                            scores[s] += (double) qkv[b * width + h * HEAD_DIM + d]
                                    * keys[b][g][s][d];
                        }
                        max = Math.max(max, scores[s]);
                    }
                    double sum = 0;
                    for (int s = PADDING[b]; s <= CACHED; s++) {
                        scores[s] = Math.exp(scores[s] - max);
                        sum += scores[s];
                    }
                    for (int s = PADDING[b]; s <= CACHED; s++) {
                        for (int d = 0; d < HEAD_DIM; d++) {
                            expected[d] += scores[s] / sum * values[b][g][s][d];
                        }
                    }
                }
                for (int d = 0; d < HEAD_DIM; d++) {
                    assertThat((double) out[(b * heads + h) * HEAD_DIM + d])
                            .as("row %d head %d dim %d", b, h, d)
                            .isCloseTo(expected[d], within(1e-5));
                }
            }
        }
    }

    private static float[] randoms(SplittableRandom random, int size) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) random.nextDouble(-1, 1);
        }
        return values;
    }
}
