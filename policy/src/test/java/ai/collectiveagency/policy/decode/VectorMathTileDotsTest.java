package ai.collectiveagency.policy.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * {@link VectorMath#tileDots}: every column of every tile asked for, nothing past them, and a
 * column's result the same whichever loop takes it (attention's scores over tiled keys); its
 * two- and four-query forms and {@link VectorMath#weightedRows2} and {@link
 * VectorMath#weightedRows4} against one query or row at a time.
 */
class VectorMathTileDotsTest {

    private static final int LANES = PackedMatrix.SPECIES.length();

    @ParameterizedTest(name = "tiles={0} dims={1}")
    @CsvSource({"0, 64", "1, 64", "3, 64", "4, 64", "5, 64", "9, 37", "2, 128", "7, 1"})
    void dotsEveryColumnOfEveryTileAskedFor(int count, int dims) {
        SplittableRandom random = new SplittableRandom(count * 31L + dims);
        int offset = 3 * dims * LANES; // the tiles of a later row
        float[] q = randoms(random, dims + 5);
        float[] tiles = randoms(random, offset + (count + 1) * dims * LANES);
        float[] out = new float[(count + 1) * LANES];
        Arrays.fill(out, Float.NaN);

        VectorMath.tileDots(q, 5, dims, tiles, offset, count, out, 0);

        for (int t = 0; t < count; t++) {
            for (int j = 0; j < LANES; j++) {
                double expected = 0;
                double magnitude = 0;
                for (int d = 0; d < dims; d++) {
                    double term = (double) q[5 + d] * tiles[offset + (t * dims + d) * LANES + j];
                    expected += term;
                    magnitude += Math.abs(term);
                }
                assertThat((double) out[t * LANES + j]).as("tile %d column %d", t, j)
                        .isCloseTo(expected, within(1e-6 * magnitude + 1e-12));
            }
        }
        for (int i = count * LANES; i < out.length; i++) {
            assertThat(out[i]).as("past the tiles asked for").isNaN();
        }
    }

    @ParameterizedTest(name = "first {0} of 9 tiles")
    @CsvSource({"1", "3", "4", "5", "8"})
    void aColumnsDotDoesNotDependOnHowManyTilesAreTaken(int fewer) {
        SplittableRandom random = new SplittableRandom(fewer);
        int dims = 64;
        float[] q = randoms(random, dims);
        float[] tiles = randoms(random, 9 * dims * LANES);
        float[] all = new float[9 * LANES];
        float[] some = new float[fewer * LANES];

        VectorMath.tileDots(q, 0, dims, tiles, 0, 9, all, 0);
        VectorMath.tileDots(q, 0, dims, tiles, 0, fewer, some, 0);

        assertThat(some).containsExactly(Arrays.copyOf(all, some.length));
    }

    /** Four queries at once give each query's bits alone, at their strides, for odd counts too. */
    @ParameterizedTest(name = "tiles={0} dims={1}")
    @CsvSource({"1, 64", "2, 64", "5, 64", "6, 12", "3, 1"})
    void fourQueriesAtOnceGiveEachQuerysDotsAlone(int count, int dims) {
        SplittableRandom random = new SplittableRandom(count * 7L + dims);
        int queryStride = dims + 3;
        int outStride = (count + 1) * LANES;
        float[] q = randoms(random, 2 + 4 * queryStride);
        float[] tiles = randoms(random, (count + 2) * dims * LANES);
        float[] four = new float[4 * outStride];
        Arrays.fill(four, Float.NaN);

        VectorMath.tileDots4(q, 2, queryStride, dims, tiles, dims * LANES, count, four,
                outStride);

        for (int r = 0; r < 4; r++) {
            float[] alone = new float[count * LANES];
            VectorMath.tileDots(q, 2 + r * queryStride, dims, tiles, dims * LANES, count, alone,
                    0);
            assertThat(Arrays.copyOfRange(four, r * outStride, r * outStride + count * LANES))
                    .as("query %d", r).containsExactly(alone);
            assertThat(four[r * outStride + count * LANES]).as("past query %d's tiles", r)
                    .isNaN();
        }
    }

    /** Four weight rows at once give each row's weighted sum alone, to the bit. */
    @ParameterizedTest(name = "rows={0} width={1}")
    @CsvSource({"1, 64", "37, 64", "20, 12", "9, 100", "13, 48", "7, 24"})
    void fourWeightRowsAtOnceGiveEachRowsSumToTheBit(int n, int width) {
        SplittableRandom random = new SplittableRandom(n * 13L + width);
        int weightStride = n + 2;
        int outStride = width + 5;
        float[] weights = randoms(random, 4 * weightStride);
        float[] rows = randoms(random, 3 + n * width);
        float[] scales = {0.5f, 1f, 2f, 0.25f};
        float[] four = new float[1 + 4 * outStride];

        VectorMath.weightedRows4(weights, 0, weightStride, n, scales, rows, 3, width, four, 1,
                outStride);

        for (int r = 0; r < 4; r++) {
            float[] alone = new float[width];
            VectorMath.weightedRows(weights, r * weightStride, n, scales[r], rows, 3, width,
                    alone, 0);
            assertThat(Arrays.copyOfRange(four, 1 + r * outStride, 1 + r * outStride + width))
                    .as("row %d", r).containsExactly(alone);
        }
    }

    /** Two queries at once (a decode step's query heads that share a KV head) give each alone. */
    @ParameterizedTest(name = "tiles={0} dims={1}")
    @CsvSource({"1, 64", "4, 64", "6, 64", "9, 12", "3, 1"})
    void twoQueriesAtOnceGiveEachQuerysDotsAlone(int count, int dims) {
        SplittableRandom random = new SplittableRandom(count * 5L + dims);
        int queryStride = dims + 3;
        int outStride = (count + 1) * LANES;
        float[] q = randoms(random, 2 + 2 * queryStride);
        float[] tiles = randoms(random, (count + 2) * dims * LANES);
        float[] two = new float[2 * outStride];
        Arrays.fill(two, Float.NaN);

        VectorMath.tileDots2(q, 2, queryStride, dims, tiles, dims * LANES, count, two,
                outStride);

        for (int r = 0; r < 2; r++) {
            float[] alone = new float[count * LANES];
            VectorMath.tileDots(q, 2 + r * queryStride, dims, tiles, dims * LANES, count, alone,
                    0);
            assertThat(Arrays.copyOfRange(two, r * outStride, r * outStride + count * LANES))
                    .as("query %d", r).containsExactly(alone);
            assertThat(two[r * outStride + count * LANES]).as("past query %d's tiles", r)
                    .isNaN();
        }
    }

    /** Two weight rows at once give each row's weighted sum alone, to the bit. */
    @ParameterizedTest(name = "rows={0} width={1}")
    @CsvSource({"1, 64", "37, 64", "20, 12", "9, 100", "13, 80", "7, 24"})
    void twoWeightRowsAtOnceGiveEachRowsSumToTheBit(int n, int width) {
        SplittableRandom random = new SplittableRandom(n * 17L + width);
        int weightStride = n + 2;
        int outStride = width + 5;
        float[] weights = randoms(random, 2 * weightStride);
        float[] rows = randoms(random, 3 + n * width);
        float[] scales = {0.5f, 3f};
        float[] two = new float[1 + 2 * outStride];

        VectorMath.weightedRows2(weights, 0, weightStride, n, scales, rows, 3, width, two, 1,
                outStride);

        for (int r = 0; r < 2; r++) {
            float[] alone = new float[width];
            VectorMath.weightedRows(weights, r * weightStride, n, scales[r], rows, 3, width,
                    alone, 0);
            assertThat(Arrays.copyOfRange(two, 1 + r * outStride, 1 + r * outStride + width))
                    .as("row %d", r).containsExactly(alone);
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
