package ai.collectiveagency.policy.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * {@link VectorMath#tileDots}: every column of every tile asked for, nothing past them, and a
 * column's result the same whichever loop takes it (attention's scores over tiled keys).
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

        VectorMath.tileDots(q, 5, dims, tiles, offset, count, out);

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

        VectorMath.tileDots(q, 0, dims, tiles, 0, 9, all);
        VectorMath.tileDots(q, 0, dims, tiles, 0, fewer, some);

        assertThat(some).containsExactly(Arrays.copyOf(all, some.length));
    }

    private static float[] randoms(SplittableRandom random, int size) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) random.nextDouble(-1, 1);
        }
        return values;
    }
}
