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

    /**
     * Two or four queries at once (a decode step's query heads that share a KV head, a
     * prefill's consecutive queries) give each query's bits alone, at their strides, for odd
     * counts too.
     */
    @ParameterizedTest(name = "queries={0} tiles={1} dims={2}")
    @CsvSource({"4, 1, 64", "4, 2, 64", "4, 5, 64", "4, 6, 12", "4, 3, 1", "2, 1, 64", "2, 4, 64",
            "2, 6, 64", "2, 7, 64", "2, 9, 12", "2, 3, 1"})
    void queriesAtOnceGiveEachQuerysDotsAlone(int queries, int count, int dims) {
        SplittableRandom random = new SplittableRandom(count * 7L + dims + queries);
        int queryStride = dims + 3;
        int outStride = (count + 1) * LANES;
        float[] q = randoms(random, 2 + queries * queryStride);
        float[] tiles = randoms(random, (count + 2) * dims * LANES);
        float[] together = new float[queries * outStride];
        Arrays.fill(together, Float.NaN);

        if (queries == 4) {
            VectorMath.tileDots4(q, 2, queryStride, dims, tiles, dims * LANES, count, together,
                    outStride);
        } else {
            VectorMath.tileDots2(q, 2, queryStride, dims, tiles, dims * LANES, count, together,
                    outStride);
        }

        for (int r = 0; r < queries; r++) {
            float[] alone = new float[count * LANES];
            VectorMath.tileDots(q, 2 + r * queryStride, dims, tiles, dims * LANES, count, alone,
                    0);
            assertThat(Arrays.copyOfRange(together, r * outStride,
                    r * outStride + count * LANES)).as("query %d", r).containsExactly(alone);
            assertThat(together[r * outStride + count * LANES]).as("past query %d's tiles", r)
                    .isNaN();
        }
    }

    /** Two or four weight rows at once give each row's weighted sum alone, to the bit. */
    @ParameterizedTest(name = "together={0} rows={1} width={2}")
    @CsvSource({"4, 1, 64", "4, 37, 64", "4, 20, 12", "4, 9, 100", "4, 13, 48", "4, 7, 24",
            "2, 1, 64", "2, 37, 64", "2, 20, 12", "2, 9, 100", "2, 13, 80", "2, 7, 24"})
    void weightRowsAtOnceGiveEachRowsSumToTheBit(int together, int n, int width) {
        SplittableRandom random = new SplittableRandom(n * 13L + width + together);
        int weightStride = n + 2;
        int outStride = width + 5;
        float[] weights = randoms(random, together * weightStride);
        float[] rows = randoms(random, 3 + n * width);
        float[] scales = {0.5f, 1f, 2f, 0.25f};
        float[] out = new float[1 + together * outStride];

        if (together == 4) {
            VectorMath.weightedRows4(weights, 0, weightStride, n, scales, rows, 3, width, out, 1,
                    outStride);
        } else {
            VectorMath.weightedRows2(weights, 0, weightStride, n, scales, rows, 3, width, out, 1,
                    outStride);
        }

        for (int r = 0; r < together; r++) {
            float[] alone = new float[width];
            VectorMath.weightedRows(weights, r * weightStride, n, scales[r], rows, 3, width,
                    alone, 0);
            assertThat(Arrays.copyOfRange(out, 1 + r * outStride, 1 + r * outStride + width))
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
