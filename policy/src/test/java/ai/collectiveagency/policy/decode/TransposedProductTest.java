package ai.collectiveagency.policy.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;


import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Aᵀ·B against a sum in double, tiles and leftovers alike. */
class TransposedProductTest {

    @ParameterizedTest(name = "{0} rows, vocab {1}, hidden {2}, {3} threads")
    @CsvSource({
        "7, 512, 128, 2", // whole tiles, two chunks
        "13, 523, 70, 2", // leftover rows of C and leftover columns
        "5, 3, 5, 1", // nothing but leftovers
        "1, 260, 64, 2"})
    void writesThenAddsGTransposedX(int rows, int vocab, int hidden, int threads) {
        SplittableRandom random = new SplittableRandom(rows * 31L + vocab);
        float[] g = randoms(random, rows * vocab);
        float[] x = randoms(random, rows * hidden);
        ByteBuffer c = ByteBuffer.allocateDirect(vocab * hidden * Float.BYTES)
                .order(ByteOrder.nativeOrder());
        for (int i = 0; i < vocab * hidden; i++) {
            c.putFloat(i * Float.BYTES, Float.NaN); // written over, never read, by the first call
        }
        TransposedProduct gradient = new TransposedProduct(new ParallelRange(threads));

        gradient.multiply(g, x, rows, vocab, hidden, c, false);
        assertClose(c, expected(g, x, rows, vocab, hidden, 1), rows);
        gradient.multiply(g, x, rows, vocab, hidden, c, true);
        assertClose(c, expected(g, x, rows, vocab, hidden, 2), rows);
    }

    @Test
    void intoAJavaArrayAsIntoTheEnginesMemory() {
        SplittableRandom random = new SplittableRandom(11);
        int rows = 37;
        int n = 300;
        int m = 64;
        float[] a = randoms(random, rows * n);
        float[] b = randoms(random, rows * m);
        float[] c = new float[n * m];
        TransposedProduct product = new TransposedProduct(new ParallelRange(1));
        ByteBuffer memory = ByteBuffer.allocateDirect(n * m * Float.BYTES)
                .order(ByteOrder.nativeOrder());
        product.multiply(a, b, rows, n, m, c, false);
        memory.asFloatBuffer().put(c);
        assertClose(memory, expected(a, b, rows, n, m, 1), rows);
        product.multiply(a, b, rows, n, m, c, true);
        memory.asFloatBuffer().put(c);
        assertClose(memory, expected(a, b, rows, n, m, 2), rows);
    }

    @Test
    void sameBitsWhateverTheThreads() {
        SplittableRandom random = new SplittableRandom(3);
        int rows = 9;
        int vocab = 1030;
        int hidden = 96;
        float[] g = randoms(random, rows * vocab);
        float[] x = randoms(random, rows * hidden);
        ByteBuffer one = ByteBuffer.allocateDirect(vocab * hidden * Float.BYTES)
                .order(ByteOrder.nativeOrder());
        ByteBuffer two = ByteBuffer.allocateDirect(vocab * hidden * Float.BYTES)
                .order(ByteOrder.nativeOrder());
        new TransposedProduct(new ParallelRange(1)).multiply(g, x, rows, vocab, hidden, one, false);
        new TransposedProduct(new ParallelRange(2)).multiply(g, x, rows, vocab, hidden, two, false);
        assertThat(one).isEqualTo(two); // byte for byte
    }

    @Test
    void aBufferTooSmallIsRefused() {
        ByteBuffer c = ByteBuffer.allocateDirect(10 * 8 * Float.BYTES - 1);
        assertThatThrownBy(() -> new TransposedProduct(new ParallelRange(1))
                .multiply(new float[10], new float[8], 1, 10, 8, c, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("10 x 8");
    }

    private static double[] expected(float[] g, float[] x, int rows, int vocab, int hidden,
            int times) {
        double[] c = new double[vocab * hidden];
        for (int v = 0; v < vocab; v++) {
            for (int d = 0; d < hidden; d++) {
                double sum = 0;
                for (int r = 0; r < rows; r++) {
                    sum += (double) g[r * vocab + v] * x[r * hidden + d];
                }
                c[v * hidden + d] = times * sum;
            }
        }
        return c;
    }

    /** Within float rounding of a sum of {@code rows} products of magnitude at most 1. */
    private static void assertClose(ByteBuffer c, double[] expected, int rows) {
        double tolerance = 4 * rows * Math.ulp(1f);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) c.getFloat(i * Float.BYTES)).as("element %d", i)
                    .isCloseTo(expected[i], within(tolerance));
        }
    }

    private static float[] randoms(SplittableRandom random, int size) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) (2 * random.nextDouble() - 1);
        }
        return values;
    }
}
