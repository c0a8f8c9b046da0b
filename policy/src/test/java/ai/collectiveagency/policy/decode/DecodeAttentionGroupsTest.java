package ai.collectiveagency.policy.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.policy.model.LlamaConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * A decode step's attention takes the query heads of one KV head together, four, two or one at
 * a time. For groups of 1, 2, 3, 4 and 7 heads, every head's output must be softmax(q·Kᵀ)·V over
 * its row's real slots (computed here in double), with a row left-padded into the middle of a
 * key tile and a row whose new token is still padding (zeros). The new token's key and value are
 * written by the placing step that attention runs for each (row, KV head) before reading them,
 * once per pair.
 */
class DecodeAttentionGroupsTest {

    @ParameterizedTest(name = "heads={0} kvHeads={1}")
    @CsvSource({"3, 3", "4, 2", "6, 2", "8, 2", "7, 1"})
    void everyHeadAttendsOverItsRowsRealSlots(int heads, int kvHeads) {
        assertAttendsOverRealSlots(heads, kvHeads, 12, 9, new int[] {0, 3, 10});
    }

    /**
     * Long enough contexts that each (row, KV head) is a part of its own on two threads, so a
     * worker places pairs and attends for them while the caller does the same for others.
     */
    @Test
    void pairsSplitOverThreadsEachAttendAfterTheirOwnPlacing() {
        int headDim = 64;
        int cached = 700;
        assertThat(DecodeAttention.pairsPerPart(headDim, 2, cached, 1)).as("pairs per part")
                .isEqualTo(1);
        assertAttendsOverRealSlots(4, 2, headDim, cached, new int[] {0, 3, 70, 650});
    }

    /**
     * One new token per row after {@code cached} slots of random keys and values; rows are
     * left-padded by {@code padding} (a row padded past {@code cached} has a padding token).
     */
    private static void assertAttendsOverRealSlots(int heads, int kvHeads, int headDim,
            int cached, int[] padding) {
        LlamaConfig config = config(heads, kvHeads, headDim);
        int batch = padding.length;
        int width = (heads + 2 * kvHeads) * headDim;
        SplittableRandom random = new SplittableRandom(heads * 10L + kvHeads + cached);
        JavaKvCache cache = JavaKvCache.empty(config, padding, cached + 4);
        float[][][][] keys = new float[batch][kvHeads][cached + 1][];
        float[][][][] values = new float[batch][kvHeads][cached + 1][];
        float[][][] newInputs = new float[batch][kvHeads][];
        for (int slot = 0; slot <= cached; slot++) {
            for (int b = 0; b < batch; b++) {
                for (int g = 0; g < kvHeads; g++) {
                    float[] source = randoms(random, 2 * headDim);
                    keys[b][g][slot] = Arrays.copyOfRange(source, 0, headDim);
                    values[b][g][slot] = Arrays.copyOfRange(source, headDim, 2 * headDim);
                    if (slot < cached) {
                        cache.write(0, b, g, slot, source, 0, headDim);
                    } else {
                        newInputs[b][g] = source; // written by the placing step
                    }
                }
            }
        }
        cache.advance(cached);
        float[] qkv = randoms(random, batch * width);
        float[] out = new float[batch * heads * headDim];
        Arrays.fill(out, Float.NaN);

        AtomicIntegerArray placed = new AtomicIntegerArray(batch * kvHeads);
        new DecodeAttention(config, new ParallelRange(2)).attend(cache, 0, 1, qkv, width, out,
                (token, group) -> {
                    placed.incrementAndGet(token * kvHeads + group);
                    cache.write(0, token, group, cached, newInputs[token][group], 0, headDim);
                });

        for (int pair = 0; pair < batch * kvHeads; pair++) {
            assertThat(placed.get(pair)).as("times (row, KV head) %d was placed", pair)
                    .isEqualTo(1);
        }
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                int g = h / (heads / kvHeads);
                double[] expected = new double[headDim];
                if (padding[b] <= cached) {
                    double[] scores = new double[cached + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int s = padding[b]; s <= cached; s++) {
                        for (int d = 0; d < headDim; d++) {
                            scores[s] += (double) qkv[b * width + h * headDim + d]
                                    * keys[b][g][s][d];
                        }
                        max = Math.max(max, scores[s]);
                    }
                    double sum = 0;
                    for (int s = padding[b]; s <= cached; s++) {
                        scores[s] = Math.exp(scores[s] - max);
                        sum += scores[s];
                    }
                    for (int s = padding[b]; s <= cached; s++) {
                        for (int d = 0; d < headDim; d++) {
                            expected[d] += scores[s] / sum * values[b][g][s][d];
                        }
                    }
                }
                for (int d = 0; d < headDim; d++) {
                    assertThat((double) out[(b * heads + h) * headDim + d])
                            .as("row %d head %d dim %d", b, h, d)
                            .isCloseTo(expected[d], within(1e-5));
                }
            }
        }
    }

    private static LlamaConfig config(int heads, int kvHeads, int headDim) {
        return new LlamaConfig("llama", heads * headDim, 16, 1, heads, kvHeads, headDim, 10,
                1024, 1e-5, 10000, false, false, null);
    }

    private static float[] randoms(SplittableRandom random, int size) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) random.nextDouble(-1, 1);
        }
        return values;
    }
}
