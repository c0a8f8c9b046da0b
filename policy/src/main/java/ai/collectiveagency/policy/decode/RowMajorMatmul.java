package ai.collectiveagency.policy.decode;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Y = X·Wᵀ + b for a few rows X and a weight W in Hugging Face's [out, in] row-major layout: the
 * matrix products of a decode step (see the package doc for why they are hand-written).
 *
 * <pre>
 *   x     (B, K)   row-major, B small (one row per sequence being decoded)
 *   w     (N, K)   row-major, as checkpoints store a projection
 *   bias  (N)      or null
 *   y     (B, N)   y[b][n] = sum_k x[b][k] * w[n][k] + bias[n]
 * </pre>
 *
 * <p>Output columns are split over the threads of a {@link ParallelRange}. Within a part, each
 * block of three weight rows is loaded once per four input rows and feeds twelve FMA accumulators
 * (4 x 3 register blocking, no branches in the inner loop); leftover input rows and weight rows
 * take narrower kernels, and the last K % lanes products a scalar tail.
 *
 * <p>Usage: {@code new RowMajorMatmul(new ParallelRange(2)).multiply(x, b, k, w, n, null, y);}
 */
public final class RowMajorMatmul {

    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int ROWS = 4; // input rows per block
    private static final int COLUMNS = 3; // weight rows per block

    private final ParallelRange range;

    public RowMajorMatmul(ParallelRange range) {
        this.range = range;
    }

    public ParallelRange range() {
        return range;
    }

    /** Fills {@code y} (B, N) with x (B, K) · w (N, K)ᵀ + bias (N, or null). */
    public void multiply(float[] x, int batch, int k, float[] w, int n, float[] bias,
            float[] y) {
        if (x.length < batch * k || w.length < (long) n * k || y.length < batch * n
                || (bias != null && bias.length < n)) {
            throw new IllegalArgumentException("arrays too short for (" + batch + ", " + k
                    + ") x (" + n + ", " + k + ")");
        }
        range.run(n, COLUMNS * 4, (start, end) -> columns(x, batch, k, w, n, bias, y, start, end));
    }

    /** Output columns [start, end) of every row. */
    private static void columns(float[] x, int batch, int k, float[] w, int n, float[] bias,
            float[] y, int start, int end) {
        int blocked = batch - batch % ROWS;
        int j = start;
        for (; j + COLUMNS <= end; j += COLUMNS) {
            for (int b = 0; b < blocked; b += ROWS) {
                block4x3(x, b * k, k, w, j * k, y, b * n + j, n);
            }
            for (int b = blocked; b < batch; b++) {
                block1x3(x, b * k, k, w, j * k, y, b * n + j);
            }
        }
        for (; j < end; j++) {
            for (int b = 0; b < blocked; b += ROWS) {
                block4x1(x, b * k, k, w, j * k, y, b * n + j, n);
            }
            for (int b = blocked; b < batch; b++) {
                y[b * n + j] = dot(x, b * k, w, j * k, k);
            }
        }
        if (bias != null) {
            for (int b = 0; b < batch; b++) {
                for (int c = start; c < end; c++) {
                    y[b * n + c] += bias[c];
                }
            }
        }
    }

    private static void block4x3(float[] x, int xo, int k, float[] w, int wo, float[] y, int yo,
            int n) {
        FloatVector a00 = FloatVector.zero(SPECIES);
        FloatVector a01 = a00;
        FloatVector a02 = a00;
        FloatVector a10 = a00;
        FloatVector a11 = a00;
        FloatVector a12 = a00;
        FloatVector a20 = a00;
        FloatVector a21 = a00;
        FloatVector a22 = a00;
        FloatVector a30 = a00;
        FloatVector a31 = a00;
        FloatVector a32 = a00;
        int bound = SPECIES.loopBound(k);
        for (int i = 0; i < bound; i += SPECIES.length()) {
            FloatVector w0 = FloatVector.fromArray(SPECIES, w, wo + i);
            FloatVector w1 = FloatVector.fromArray(SPECIES, w, wo + k + i);
            FloatVector w2 = FloatVector.fromArray(SPECIES, w, wo + 2 * k + i);
            FloatVector x0 = FloatVector.fromArray(SPECIES, x, xo + i);
            a00 = x0.fma(w0, a00);
            a01 = x0.fma(w1, a01);
            a02 = x0.fma(w2, a02);
            FloatVector x1 = FloatVector.fromArray(SPECIES, x, xo + k + i);
            a10 = x1.fma(w0, a10);
            a11 = x1.fma(w1, a11);
            a12 = x1.fma(w2, a12);
            FloatVector x2 = FloatVector.fromArray(SPECIES, x, xo + 2 * k + i);
            a20 = x2.fma(w0, a20);
            a21 = x2.fma(w1, a21);
            a22 = x2.fma(w2, a22);
            FloatVector x3 = FloatVector.fromArray(SPECIES, x, xo + 3 * k + i);
            a30 = x3.fma(w0, a30);
            a31 = x3.fma(w1, a31);
            a32 = x3.fma(w2, a32);
        }
        store(y, yo, a00, a01, a02, x, xo, w, wo, bound, k);
        store(y, yo + n, a10, a11, a12, x, xo + k, w, wo, bound, k);
        store(y, yo + 2 * n, a20, a21, a22, x, xo + 2 * k, w, wo, bound, k);
        store(y, yo + 3 * n, a30, a31, a32, x, xo + 3 * k, w, wo, bound, k);
    }

    private static void block1x3(float[] x, int xo, int k, float[] w, int wo, float[] y,
            int yo) {
        FloatVector a0 = FloatVector.zero(SPECIES);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        int bound = SPECIES.loopBound(k);
        for (int i = 0; i < bound; i += SPECIES.length()) {
            FloatVector x0 = FloatVector.fromArray(SPECIES, x, xo + i);
            a0 = x0.fma(FloatVector.fromArray(SPECIES, w, wo + i), a0);
            a1 = x0.fma(FloatVector.fromArray(SPECIES, w, wo + k + i), a1);
            a2 = x0.fma(FloatVector.fromArray(SPECIES, w, wo + 2 * k + i), a2);
        }
        store(y, yo, a0, a1, a2, x, xo, w, wo, bound, k);
    }

    private static void block4x1(float[] x, int xo, int k, float[] w, int wo, float[] y, int yo,
            int n) {
        FloatVector a0 = FloatVector.zero(SPECIES);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        int bound = SPECIES.loopBound(k);
        for (int i = 0; i < bound; i += SPECIES.length()) {
            FloatVector w0 = FloatVector.fromArray(SPECIES, w, wo + i);
            a0 = FloatVector.fromArray(SPECIES, x, xo + i).fma(w0, a0);
            a1 = FloatVector.fromArray(SPECIES, x, xo + k + i).fma(w0, a1);
            a2 = FloatVector.fromArray(SPECIES, x, xo + 2 * k + i).fma(w0, a2);
            a3 = FloatVector.fromArray(SPECIES, x, xo + 3 * k + i).fma(w0, a3);
        }
        y[yo] = a0.reduceLanes(VectorOperators.ADD) + tail(x, xo, w, wo, bound, k);
        y[yo + n] = a1.reduceLanes(VectorOperators.ADD) + tail(x, xo + k, w, wo, bound, k);
        y[yo + 2 * n] = a2.reduceLanes(VectorOperators.ADD) + tail(x, xo + 2 * k, w, wo, bound, k);
        y[yo + 3 * n] = a3.reduceLanes(VectorOperators.ADD) + tail(x, xo + 3 * k, w, wo, bound, k);
    }

    /** One input row against three consecutive weight rows. */
    private static void store(float[] y, int yo, FloatVector a0, FloatVector a1, FloatVector a2,
            float[] x, int xo, float[] w, int wo, int bound, int k) {
        y[yo] = a0.reduceLanes(VectorOperators.ADD) + tail(x, xo, w, wo, bound, k);
        y[yo + 1] = a1.reduceLanes(VectorOperators.ADD) + tail(x, xo, w, wo + k, bound, k);
        y[yo + 2] = a2.reduceLanes(VectorOperators.ADD) + tail(x, xo, w, wo + 2 * k, bound, k);
    }

    /** Sum of x[xo + i] * w[wo + i] over i in [0, k). */
    static float dot(float[] x, int xo, float[] w, int wo, int k) {
        FloatVector acc = FloatVector.zero(SPECIES);
        int bound = SPECIES.loopBound(k);
        for (int i = 0; i < bound; i += SPECIES.length()) {
            acc = FloatVector.fromArray(SPECIES, x, xo + i)
                    .fma(FloatVector.fromArray(SPECIES, w, wo + i), acc);
        }
        return acc.reduceLanes(VectorOperators.ADD) + tail(x, xo, w, wo, bound, k);
    }

    /** The scalar part of a dot product: indices [from, k) past the last whole vector. */
    private static float tail(float[] x, int xo, float[] w, int wo, int from, int k) {
        float sum = 0;
        for (int i = from; i < k; i++) {
            sum += x[xo + i] * w[wo + i];
        }
        return sum;
    }
}
