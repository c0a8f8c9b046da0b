package ai.collectiveagency.policy.decode;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * y = x·Wᵀ for a few rows of x (n, k) against a matrix W (m, k), both W and y where the engine
 * keeps them, row-major: the output head of a prefill's last positions or of an engine decode
 * step.
 *
 * <pre>
 *   y[r][j] = Σᵢ x[r][i] · W[j][i]
 * </pre>
 *
 * <p>The engine multiplies by W's transposed view: at 8 rows against the 40M bench model's head
 * (32,000 x 512) it took 7.6-7.8 ms, where reading W once takes about 1.3. Here each thread
 * copies a strip of W's rows (about 128 KiB) into its own array, which stays in cache, and
 * multiplies eight rows of x against two rows of W at a time: 3.0-3.5 ms (Zen 5, 2 cores).
 * Vector loads straight from the engine's buffer took 4.7 ms.
 *
 * <p>Each output is one thread's, summed lane by lane and then over the lanes in order, the
 * same way whether its row of x falls in a block of eight or not, so the same inputs give the
 * same bits whatever the batch and the split over threads.
 */
public final class FewRowsProduct {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /** Rows of x taken together against a strip. */
    private static final int ROWS = 8;
    /** Floats of W a thread copies at a time: 128 KiB, 64 rows at k = 512. */
    private static final int STRIP_FLOATS = 32 * 1024;

    /** Each thread's strip of W (0), the strip's outputs (1) and a vector's lanes (2). */
    private static final ThreadArrays SCRATCH = new ThreadArrays(3);

    private final ParallelRange range;

    public FewRowsProduct(ParallelRange range) {
        this.range = range;
    }

    /**
     * Rows of x up to which this product beat the engine's against the 40M bench model's head
     * (Zen 5, 2 cores, best of 10, into engine memory; engine against Java): with 512-bit
     * vectors 4.0-4.2 against 2.0-2.2 ms at 1 row, 6.4-7.3 against 3.4-3.5 at 8, 8.7-8.8
     * against 5.4 at 16, 10.5-13.4 against 9.3-9.6 at 32, 16.3-16.5 against 17.9 at 64; with
     * 256-bit ones (the JVM held to AVX2) 7.4 against 4.1 at 8, 9.0 against 6.8 at 16, 11.2
     * against 12.8 at 32, where the sixteen accumulators fill AVX2's sixteen registers.
     */
    public int maxRows() {
        return LANES >= 16 ? 32 : 16;
    }

    /**
     * Writes x·Wᵀ, (rows, m), into {@code y}.
     *
     * @param x (rows, k), row-major
     * @param weights W (m, k) as float32 in native order, row-major, from index 0
     * @param y (rows, m) float32 in native order, from index 0
     */
    public void multiply(float[] x, int rows, ByteBuffer weights, int m, int k, ByteBuffer y) {
        if (x.length < (long) rows * k || y.capacity() < (long) rows * m * Float.BYTES
                || weights.capacity() < (long) m * k * Float.BYTES
                || weights.order() != ByteOrder.nativeOrder()
                || y.order() != ByteOrder.nativeOrder()) {
            throw new IllegalArgumentException(rows + " x " + k + " inputs (" + x.length
                    + " floats) against " + m + " x " + k + " weights (" + weights.capacity()
                    + " bytes, " + weights.order() + ") into " + y.capacity() + " bytes ("
                    + y.order() + ")");
        }
        // absolute indices from the buffers' start, whatever their positions
        FloatBuffer w = weights.duplicate().order(weights.order()).clear().asFloatBuffer();
        FloatBuffer out = y.duplicate().order(y.order()).clear().asFloatBuffer();
        int stripRows = Math.max(2, STRIP_FLOATS / k / 2 * 2);
        int strips = (m + stripRows - 1) / stripRows;
        range.run(strips, 1, (start, end) -> {
            float[] strip = SCRATCH.get(0, stripRows * k);
            float[] stripOut = SCRATCH.get(1, rows * stripRows);
            float[] lanes = SCRATCH.get(2, LANES);
            for (int s = start; s < end; s++) {
                int first = s * stripRows;
                int count = Math.min(stripRows, m - first);
                w.get(first * k, strip, 0, count * k);
                strip(x, rows, k, strip, count, stripOut, lanes);
                for (int r = 0; r < rows; r++) {
                    out.put(r * m + first, stripOut, r * count, count);
                }
            }
        });
    }

    /** out (rows, count) = x · stripᵀ, for {@code count} rows of W in {@code strip}. */
    private static void strip(float[] x, int rows, int k, float[] strip, int count, float[] out,
            float[] lanes) {
        int r = 0;
        for (; r + ROWS <= rows; r += ROWS) {
            int j = 0;
            for (; j + 2 <= count; j += 2) {
                eightByTwo(x, r * k, k, strip, j * k, out, r * count + j, count, lanes);
            }
            for (; j < count; j++) {
                for (int i = 0; i < ROWS; i++) {
                    out[(r + i) * count + j] = dot(x, (r + i) * k, strip, j * k, k, lanes);
                }
            }
        }
        for (; r < rows; r++) {
            for (int j = 0; j < count; j++) {
                out[r * count + j] = dot(x, r * k, strip, j * k, k, lanes);
            }
        }
    }

    /**
     * Rows [xo, xo + 8k) of x against rows w[wo, wo + k) and w[wo + k, wo + 2k): sixteen
     * accumulators, each row of W loaded once for eight rows of x.
     */
    private static void eightByTwo(float[] x, int xo, int k, float[] w, int wo, float[] y,
            int yo, int m, float[] lanes) {
        FloatVector a0 = FloatVector.zero(SPECIES);
        FloatVector a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        FloatVector b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0, b5 = a0, b6 = a0, b7 = a0;
        int bound = SPECIES.loopBound(k);
        for (int i = 0; i < bound; i += LANES) {
            FloatVector e = FloatVector.fromArray(SPECIES, w, wo + i);
            FloatVector f = FloatVector.fromArray(SPECIES, w, wo + k + i);
            FloatVector x0 = FloatVector.fromArray(SPECIES, x, xo + i);
            a0 = e.fma(x0, a0);
            b0 = f.fma(x0, b0);
            FloatVector x1 = FloatVector.fromArray(SPECIES, x, xo + k + i);
            a1 = e.fma(x1, a1);
            b1 = f.fma(x1, b1);
            FloatVector x2 = FloatVector.fromArray(SPECIES, x, xo + 2 * k + i);
            a2 = e.fma(x2, a2);
            b2 = f.fma(x2, b2);
            FloatVector x3 = FloatVector.fromArray(SPECIES, x, xo + 3 * k + i);
            a3 = e.fma(x3, a3);
            b3 = f.fma(x3, b3);
            FloatVector x4 = FloatVector.fromArray(SPECIES, x, xo + 4 * k + i);
            a4 = e.fma(x4, a4);
            b4 = f.fma(x4, b4);
            FloatVector x5 = FloatVector.fromArray(SPECIES, x, xo + 5 * k + i);
            a5 = e.fma(x5, a5);
            b5 = f.fma(x5, b5);
            FloatVector x6 = FloatVector.fromArray(SPECIES, x, xo + 6 * k + i);
            a6 = e.fma(x6, a6);
            b6 = f.fma(x6, b6);
            FloatVector x7 = FloatVector.fromArray(SPECIES, x, xo + 7 * k + i);
            a7 = e.fma(x7, a7);
            b7 = f.fma(x7, b7);
        }
        // one store per accumulator: held in an array, the vectors would be boxed in the loop
        store(a0, b0, x, xo, w, wo, k, bound, y, yo, lanes);
        store(a1, b1, x, xo + k, w, wo, k, bound, y, yo + m, lanes);
        store(a2, b2, x, xo + 2 * k, w, wo, k, bound, y, yo + 2 * m, lanes);
        store(a3, b3, x, xo + 3 * k, w, wo, k, bound, y, yo + 3 * m, lanes);
        store(a4, b4, x, xo + 4 * k, w, wo, k, bound, y, yo + 4 * m, lanes);
        store(a5, b5, x, xo + 5 * k, w, wo, k, bound, y, yo + 5 * m, lanes);
        store(a6, b6, x, xo + 6 * k, w, wo, k, bound, y, yo + 6 * m, lanes);
        store(a7, b7, x, xo + 7 * k, w, wo, k, bound, y, yo + 7 * m, lanes);
    }

    /** y[yo] and y[yo + 1]: one row of x against two of W, lanes then the scalar tail. */
    private static void store(FloatVector a, FloatVector b, float[] x, int xo, float[] w, int wo,
            int k, int bound, float[] y, int yo, float[] lanes) {
        y[yo] = sum(a, lanes) + tail(x, xo, w, wo, bound, k);
        y[yo + 1] = sum(b, lanes) + tail(x, xo, w, wo + k, bound, k);
    }

    /** One row of x against one of W. */
    private static float dot(float[] x, int xo, float[] w, int wo, int k, float[] lanes) {
        FloatVector a = FloatVector.zero(SPECIES);
        int bound = SPECIES.loopBound(k);
        for (int i = 0; i < bound; i += LANES) {
            a = FloatVector.fromArray(SPECIES, w, wo + i)
                    .fma(FloatVector.fromArray(SPECIES, x, xo + i), a);
        }
        return sum(a, lanes) + tail(x, xo, w, wo, bound, k);
    }

    /** The lanes of {@code a} summed in order, through the first LANES floats of lanes. */
    private static float sum(FloatVector a, float[] lanes) {
        a.intoArray(lanes, 0);
        float sum = 0;
        for (int i = 0; i < LANES; i++) {
            sum += lanes[i];
        }
        return sum;
    }

    private static float tail(float[] x, int xo, float[] w, int wo, int from, int k) {
        float sum = 0;
        for (int i = from; i < k; i++) {
            sum = Math.fma(x[xo + i], w[wo + i], sum);
        }
        return sum;
    }
}
