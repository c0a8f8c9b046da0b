package ai.collectiveagency.policy.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * x·Wᵀ against W in native memory, compared with a sum in double: whole tiles and leftovers; the
 * same bits for a row whether it is multiplied in a block of eight or alone.
 */
class FewRowsProductTest {

    @ParameterizedTest(name = "{0} rows against {1} x {2}, {3} threads")
    @CsvSource({
        "8, 256, 64, 2", // one tile of rows, whole strips, whole vectors
        "19, 301, 70, 2", // two tiles and 3 single rows; a short, odd last strip; a scalar tail
        "1, 5, 3, 1", // nothing but leftovers
        "64, 130, 512, 3"})
    void multipliesByTheTranspose(int rows, int m, int k, int threads) {
        SplittableRandom random = new SplittableRandom(rows * 31L + m);
        float[] x = randoms(random, rows * k);
        float[] w = randoms(random, m * k);
        float[] nan = new float[rows * m];
        Arrays.fill(nan, Float.NaN); // every output is written
        ByteBuffer out = nativeCopy(nan);

        new FewRowsProduct(new ParallelRange(threads)).multiply(x, rows, nativeCopy(w), m, k, out);
        float[] y = floats(out);

        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < m; j++) {
                double sum = 0;
                for (int i = 0; i < k; i++) {
                    sum += (double) x[r * k + i] * w[j * k + i];
                }
                assertThat(y[r * m + j]).as("y[%d][%d]", r, j)
                        .isCloseTo((float) sum, within(1e-5f * k));
            }
        }
    }

    @Test
    void aRowHasTheSameBitsInABlockOfEightAsAlone() {
        SplittableRandom random = new SplittableRandom(3);
        int rows = 11;
        int m = 1001;
        int k = 100;
        float[] x = randoms(random, rows * k);
        ByteBuffer w = nativeCopy(randoms(random, m * k));
        ByteBuffer together = nativeCopy(new float[rows * m]);
        new FewRowsProduct(new ParallelRange(2)).multiply(x, rows, w, m, k, together);
        float[] expected = floats(together);
        for (int r = 0; r < rows; r++) {
            ByteBuffer alone = nativeCopy(new float[m]);
            new FewRowsProduct(new ParallelRange(1)).multiply(
                    Arrays.copyOfRange(x, r * k, (r + 1) * k), 1, w, m, k, alone);
            assertThat(floats(alone)).as("row %d", r)
                    .isEqualTo(Arrays.copyOfRange(expected, r * m, (r + 1) * m));
        }
    }

    @Test
    void refusesSizesThatDoNotFit() {
        FewRowsProduct product = new FewRowsProduct(new ParallelRange(1));
        ByteBuffer w = nativeCopy(new float[10 * 4]);
        assertThatThrownBy(() -> product.multiply(new float[8], 2, w, 11, 4,
                nativeCopy(new float[22])))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("11 x 4 weights");
        assertThatThrownBy(() -> product.multiply(new float[8], 2, w, 10, 4,
                nativeCopy(new float[19])))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("into 76 bytes");
    }

    private static ByteBuffer nativeCopy(float[] values) {
        ByteBuffer memory = ByteBuffer.allocateDirect(values.length * Float.BYTES)
                .order(ByteOrder.nativeOrder());
        memory.asFloatBuffer().put(values);
        return memory;
    }

    private static float[] floats(ByteBuffer memory) {
        float[] values = new float[memory.capacity() / Float.BYTES];
        memory.duplicate().order(memory.order()).asFloatBuffer().get(values);
        return values;
    }

    private static float[] randoms(SplittableRandom random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return values;
    }
}
