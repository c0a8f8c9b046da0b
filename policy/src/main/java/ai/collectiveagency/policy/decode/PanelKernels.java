package ai.collectiveagency.policy.decode;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The inner loops of {@link PanelMatmul}: R input rows (offset {@code xo}, stride K) against one
 * panel of a {@link PackedMatrix} (offset {@code po}) write R x P outputs at {@code yo} (row
 * stride {@code stride}). Each k step loads three weight vectors once and broadcasts one input
 * scalar per row into R x 3 FMA accumulators: register blocking, no horizontal sums, no
 * branches; every accumulator is a local updated unconditionally, so C2 keeps it in a register.
 *
 * <p>R = 8 needs 24 accumulators + 3 weights + 1 broadcast = 28 vector registers: AVX-512's 32
 * hold them, AVX2's 16 do not (the 4-row kernel's 16 fit), so {@link PanelTiling} picks 8 rows
 * only with 512-bit vectors. Per FMA the 8-row kernel loads half the weight vectors of the 4-row
 * one, and a panel is read once per 8 input rows instead of per 4. The 2- and 1-row kernels
 * take a batch's remainder.
 *
 * <p>Every kernel reads its panel as two streams ({@link PanelStreams#TWO}, the default on
 * Intel): k in [0, K/2) and [K/2, 2·(K/2)) advance together, and an odd K's last k is added
 * after them ({@link #lastColumn}). On the Intel AMX VM, reading k in order as one stream
 * ({@link OneStreamKernels}), a kernel that does 8 rows of FMAs per line fetched kept too few
 * fetches in flight and read the weights at 9.0 GB/s on one core (a 2,736 x 512 matrix, 30
 * copies so that each comes from memory), against 12.7 GB/s for a kernel that only streams.
 * Two streams give the hardware prefetcher two pages to run ahead in: 11.1 GB/s at 8 rows, and
 * a batch-16 product took 686 instead of 792 µs there (README, Speed). Each kernel writes its k
 * step out twice, once per stream: the same step as an inner loop over the two streams (k = i,
 * then i + half) made C2 box the accumulators, and a batch-16 decode step took 231-242 ms
 * instead of 12. Each output is a sum over k in one fixed order, the same in the 2-, 4- and
 * 8-row kernels (k, k + K/2, ..., then an odd K's last), so outputs differ in the last bits from
 * {@link OneStreamKernels}' (k in order).
 */
final class PanelKernels {

    private static final VectorSpecies<Float> SPECIES = PackedMatrix.SPECIES;
    private static final int LANES = SPECIES.length();
    private static final int WIDTH = PackedMatrix.WIDTH;
    private static final int VECTORS = PackedMatrix.VECTORS;

    private PanelKernels() {}

    /** 8 input rows against one panel. */
    static void rows8(float[] x, int xo, int k, float[] p, int po, float[] y, int yo,
            int stride) {
        FloatVector a00 = FloatVector.zero(SPECIES);
        FloatVector a01 = FloatVector.zero(SPECIES);
        FloatVector a02 = FloatVector.zero(SPECIES);
        FloatVector a10 = FloatVector.zero(SPECIES);
        FloatVector a11 = FloatVector.zero(SPECIES);
        FloatVector a12 = FloatVector.zero(SPECIES);
        FloatVector a20 = FloatVector.zero(SPECIES);
        FloatVector a21 = FloatVector.zero(SPECIES);
        FloatVector a22 = FloatVector.zero(SPECIES);
        FloatVector a30 = FloatVector.zero(SPECIES);
        FloatVector a31 = FloatVector.zero(SPECIES);
        FloatVector a32 = FloatVector.zero(SPECIES);
        FloatVector a40 = FloatVector.zero(SPECIES);
        FloatVector a41 = FloatVector.zero(SPECIES);
        FloatVector a42 = FloatVector.zero(SPECIES);
        FloatVector a50 = FloatVector.zero(SPECIES);
        FloatVector a51 = FloatVector.zero(SPECIES);
        FloatVector a52 = FloatVector.zero(SPECIES);
        FloatVector a60 = FloatVector.zero(SPECIES);
        FloatVector a61 = FloatVector.zero(SPECIES);
        FloatVector a62 = FloatVector.zero(SPECIES);
        FloatVector a70 = FloatVector.zero(SPECIES);
        FloatVector a71 = FloatVector.zero(SPECIES);
        FloatVector a72 = FloatVector.zero(SPECIES);
        int half = k / 2;
        for (int i = 0; i < half; i++) {
            int at;
            FloatVector w0;
            FloatVector w1;
            FloatVector w2;
            FloatVector xr;
            at = po + i * WIDTH;
            w0 = FloatVector.fromArray(SPECIES, p, at);
            w1 = FloatVector.fromArray(SPECIES, p, at + LANES);
            w2 = FloatVector.fromArray(SPECIES, p, at + 2 * LANES);
            xr = FloatVector.broadcast(SPECIES, x[xo + i]);
            a00 = w0.fma(xr, a00);
            a01 = w1.fma(xr, a01);
            a02 = w2.fma(xr, a02);
            xr = FloatVector.broadcast(SPECIES, x[xo + k + i]);
            a10 = w0.fma(xr, a10);
            a11 = w1.fma(xr, a11);
            a12 = w2.fma(xr, a12);
            xr = FloatVector.broadcast(SPECIES, x[xo + 2 * k + i]);
            a20 = w0.fma(xr, a20);
            a21 = w1.fma(xr, a21);
            a22 = w2.fma(xr, a22);
            xr = FloatVector.broadcast(SPECIES, x[xo + 3 * k + i]);
            a30 = w0.fma(xr, a30);
            a31 = w1.fma(xr, a31);
            a32 = w2.fma(xr, a32);
            xr = FloatVector.broadcast(SPECIES, x[xo + 4 * k + i]);
            a40 = w0.fma(xr, a40);
            a41 = w1.fma(xr, a41);
            a42 = w2.fma(xr, a42);
            xr = FloatVector.broadcast(SPECIES, x[xo + 5 * k + i]);
            a50 = w0.fma(xr, a50);
            a51 = w1.fma(xr, a51);
            a52 = w2.fma(xr, a52);
            xr = FloatVector.broadcast(SPECIES, x[xo + 6 * k + i]);
            a60 = w0.fma(xr, a60);
            a61 = w1.fma(xr, a61);
            a62 = w2.fma(xr, a62);
            xr = FloatVector.broadcast(SPECIES, x[xo + 7 * k + i]);
            a70 = w0.fma(xr, a70);
            a71 = w1.fma(xr, a71);
            a72 = w2.fma(xr, a72);
            at = po + (i + half) * WIDTH;
            w0 = FloatVector.fromArray(SPECIES, p, at);
            w1 = FloatVector.fromArray(SPECIES, p, at + LANES);
            w2 = FloatVector.fromArray(SPECIES, p, at + 2 * LANES);
            xr = FloatVector.broadcast(SPECIES, x[xo + (i + half)]);
            a00 = w0.fma(xr, a00);
            a01 = w1.fma(xr, a01);
            a02 = w2.fma(xr, a02);
            xr = FloatVector.broadcast(SPECIES, x[xo + k + (i + half)]);
            a10 = w0.fma(xr, a10);
            a11 = w1.fma(xr, a11);
            a12 = w2.fma(xr, a12);
            xr = FloatVector.broadcast(SPECIES, x[xo + 2 * k + (i + half)]);
            a20 = w0.fma(xr, a20);
            a21 = w1.fma(xr, a21);
            a22 = w2.fma(xr, a22);
            xr = FloatVector.broadcast(SPECIES, x[xo + 3 * k + (i + half)]);
            a30 = w0.fma(xr, a30);
            a31 = w1.fma(xr, a31);
            a32 = w2.fma(xr, a32);
            xr = FloatVector.broadcast(SPECIES, x[xo + 4 * k + (i + half)]);
            a40 = w0.fma(xr, a40);
            a41 = w1.fma(xr, a41);
            a42 = w2.fma(xr, a42);
            xr = FloatVector.broadcast(SPECIES, x[xo + 5 * k + (i + half)]);
            a50 = w0.fma(xr, a50);
            a51 = w1.fma(xr, a51);
            a52 = w2.fma(xr, a52);
            xr = FloatVector.broadcast(SPECIES, x[xo + 6 * k + (i + half)]);
            a60 = w0.fma(xr, a60);
            a61 = w1.fma(xr, a61);
            a62 = w2.fma(xr, a62);
            xr = FloatVector.broadcast(SPECIES, x[xo + 7 * k + (i + half)]);
            a70 = w0.fma(xr, a70);
            a71 = w1.fma(xr, a71);
            a72 = w2.fma(xr, a72);
        }
        a00.intoArray(y, yo);
        a01.intoArray(y, yo + LANES);
        a02.intoArray(y, yo + 2 * LANES);
        a10.intoArray(y, yo + stride);
        a11.intoArray(y, yo + stride + LANES);
        a12.intoArray(y, yo + stride + 2 * LANES);
        a20.intoArray(y, yo + 2 * stride);
        a21.intoArray(y, yo + 2 * stride + LANES);
        a22.intoArray(y, yo + 2 * stride + 2 * LANES);
        a30.intoArray(y, yo + 3 * stride);
        a31.intoArray(y, yo + 3 * stride + LANES);
        a32.intoArray(y, yo + 3 * stride + 2 * LANES);
        a40.intoArray(y, yo + 4 * stride);
        a41.intoArray(y, yo + 4 * stride + LANES);
        a42.intoArray(y, yo + 4 * stride + 2 * LANES);
        a50.intoArray(y, yo + 5 * stride);
        a51.intoArray(y, yo + 5 * stride + LANES);
        a52.intoArray(y, yo + 5 * stride + 2 * LANES);
        a60.intoArray(y, yo + 6 * stride);
        a61.intoArray(y, yo + 6 * stride + LANES);
        a62.intoArray(y, yo + 6 * stride + 2 * LANES);
        a70.intoArray(y, yo + 7 * stride);
        a71.intoArray(y, yo + 7 * stride + LANES);
        a72.intoArray(y, yo + 7 * stride + 2 * LANES);
        lastColumn(x, xo, k, 8, p, po, y, yo, stride);
    }

    /** 4 input rows against one panel. */
    static void rows4(float[] x, int xo, int k, float[] p, int po, float[] y, int yo,
            int stride) {
        FloatVector a00 = FloatVector.zero(SPECIES);
        FloatVector a01 = FloatVector.zero(SPECIES);
        FloatVector a02 = FloatVector.zero(SPECIES);
        FloatVector a10 = FloatVector.zero(SPECIES);
        FloatVector a11 = FloatVector.zero(SPECIES);
        FloatVector a12 = FloatVector.zero(SPECIES);
        FloatVector a20 = FloatVector.zero(SPECIES);
        FloatVector a21 = FloatVector.zero(SPECIES);
        FloatVector a22 = FloatVector.zero(SPECIES);
        FloatVector a30 = FloatVector.zero(SPECIES);
        FloatVector a31 = FloatVector.zero(SPECIES);
        FloatVector a32 = FloatVector.zero(SPECIES);
        int half = k / 2;
        for (int i = 0; i < half; i++) {
            int at;
            FloatVector w0;
            FloatVector w1;
            FloatVector w2;
            FloatVector xr;
            at = po + i * WIDTH;
            w0 = FloatVector.fromArray(SPECIES, p, at);
            w1 = FloatVector.fromArray(SPECIES, p, at + LANES);
            w2 = FloatVector.fromArray(SPECIES, p, at + 2 * LANES);
            xr = FloatVector.broadcast(SPECIES, x[xo + i]);
            a00 = w0.fma(xr, a00);
            a01 = w1.fma(xr, a01);
            a02 = w2.fma(xr, a02);
            xr = FloatVector.broadcast(SPECIES, x[xo + k + i]);
            a10 = w0.fma(xr, a10);
            a11 = w1.fma(xr, a11);
            a12 = w2.fma(xr, a12);
            xr = FloatVector.broadcast(SPECIES, x[xo + 2 * k + i]);
            a20 = w0.fma(xr, a20);
            a21 = w1.fma(xr, a21);
            a22 = w2.fma(xr, a22);
            xr = FloatVector.broadcast(SPECIES, x[xo + 3 * k + i]);
            a30 = w0.fma(xr, a30);
            a31 = w1.fma(xr, a31);
            a32 = w2.fma(xr, a32);
            at = po + (i + half) * WIDTH;
            w0 = FloatVector.fromArray(SPECIES, p, at);
            w1 = FloatVector.fromArray(SPECIES, p, at + LANES);
            w2 = FloatVector.fromArray(SPECIES, p, at + 2 * LANES);
            xr = FloatVector.broadcast(SPECIES, x[xo + (i + half)]);
            a00 = w0.fma(xr, a00);
            a01 = w1.fma(xr, a01);
            a02 = w2.fma(xr, a02);
            xr = FloatVector.broadcast(SPECIES, x[xo + k + (i + half)]);
            a10 = w0.fma(xr, a10);
            a11 = w1.fma(xr, a11);
            a12 = w2.fma(xr, a12);
            xr = FloatVector.broadcast(SPECIES, x[xo + 2 * k + (i + half)]);
            a20 = w0.fma(xr, a20);
            a21 = w1.fma(xr, a21);
            a22 = w2.fma(xr, a22);
            xr = FloatVector.broadcast(SPECIES, x[xo + 3 * k + (i + half)]);
            a30 = w0.fma(xr, a30);
            a31 = w1.fma(xr, a31);
            a32 = w2.fma(xr, a32);
        }
        a00.intoArray(y, yo);
        a01.intoArray(y, yo + LANES);
        a02.intoArray(y, yo + 2 * LANES);
        a10.intoArray(y, yo + stride);
        a11.intoArray(y, yo + stride + LANES);
        a12.intoArray(y, yo + stride + 2 * LANES);
        a20.intoArray(y, yo + 2 * stride);
        a21.intoArray(y, yo + 2 * stride + LANES);
        a22.intoArray(y, yo + 2 * stride + 2 * LANES);
        a30.intoArray(y, yo + 3 * stride);
        a31.intoArray(y, yo + 3 * stride + LANES);
        a32.intoArray(y, yo + 3 * stride + 2 * LANES);
        lastColumn(x, xo, k, 4, p, po, y, yo, stride);
    }

    /** 2 input rows against one panel. */
    static void rows2(float[] x, int xo, int k, float[] p, int po, float[] y, int yo,
            int stride) {
        FloatVector a00 = FloatVector.zero(SPECIES);
        FloatVector a01 = FloatVector.zero(SPECIES);
        FloatVector a02 = FloatVector.zero(SPECIES);
        FloatVector a10 = FloatVector.zero(SPECIES);
        FloatVector a11 = FloatVector.zero(SPECIES);
        FloatVector a12 = FloatVector.zero(SPECIES);
        int half = k / 2;
        for (int i = 0; i < half; i++) {
            int at;
            FloatVector w0;
            FloatVector w1;
            FloatVector w2;
            FloatVector xr;
            at = po + i * WIDTH;
            w0 = FloatVector.fromArray(SPECIES, p, at);
            w1 = FloatVector.fromArray(SPECIES, p, at + LANES);
            w2 = FloatVector.fromArray(SPECIES, p, at + 2 * LANES);
            xr = FloatVector.broadcast(SPECIES, x[xo + i]);
            a00 = w0.fma(xr, a00);
            a01 = w1.fma(xr, a01);
            a02 = w2.fma(xr, a02);
            xr = FloatVector.broadcast(SPECIES, x[xo + k + i]);
            a10 = w0.fma(xr, a10);
            a11 = w1.fma(xr, a11);
            a12 = w2.fma(xr, a12);
            at = po + (i + half) * WIDTH;
            w0 = FloatVector.fromArray(SPECIES, p, at);
            w1 = FloatVector.fromArray(SPECIES, p, at + LANES);
            w2 = FloatVector.fromArray(SPECIES, p, at + 2 * LANES);
            xr = FloatVector.broadcast(SPECIES, x[xo + (i + half)]);
            a00 = w0.fma(xr, a00);
            a01 = w1.fma(xr, a01);
            a02 = w2.fma(xr, a02);
            xr = FloatVector.broadcast(SPECIES, x[xo + k + (i + half)]);
            a10 = w0.fma(xr, a10);
            a11 = w1.fma(xr, a11);
            a12 = w2.fma(xr, a12);
        }
        a00.intoArray(y, yo);
        a01.intoArray(y, yo + LANES);
        a02.intoArray(y, yo + 2 * LANES);
        a10.intoArray(y, yo + stride);
        a11.intoArray(y, yo + stride + LANES);
        a12.intoArray(y, yo + stride + 2 * LANES);
        lastColumn(x, xo, k, 2, p, po, y, yo, stride);
    }

    /**
     * 1 input row against one panel, in two sets of 3 accumulators: the first half of k into
     * one, the second into the other, added at the end. One set would leave 3 FMA chains in
     * flight for a whole matrix, and at batch 1 this kernel streams every weight: with 6 (then
     * split even/odd k, one stream) the decoder's matmuls read 9% faster on the Zen 4 VM (37.4
     * against 34.3 GB/s, medians of 277 interleaved rounds) and about 20% faster while the VM's
     * memory was fast (54.9 against 45.5); splitting by halves adds the second stream. The sum's
     * order therefore differs from the other kernels' in the last bits, for a row decoded alone
     * or as a batch's remainder.
     */
    static void rows1(float[] x, int xo, int k, float[] p, int po, float[] y, int yo,
            int stride) {
        FloatVector first0 = FloatVector.zero(SPECIES);
        FloatVector first1 = FloatVector.zero(SPECIES);
        FloatVector first2 = FloatVector.zero(SPECIES);
        FloatVector second0 = FloatVector.zero(SPECIES);
        FloatVector second1 = FloatVector.zero(SPECIES);
        FloatVector second2 = FloatVector.zero(SPECIES);
        int half = k / 2;
        for (int i = 0; i < half; i++) {
            int at = po + i * WIDTH;
            int later = po + (i + half) * WIDTH;
            FloatVector x0 = FloatVector.broadcast(SPECIES, x[xo + i]);
            FloatVector x1 = FloatVector.broadcast(SPECIES, x[xo + i + half]);
            first0 = FloatVector.fromArray(SPECIES, p, at).fma(x0, first0);
            first1 = FloatVector.fromArray(SPECIES, p, at + LANES).fma(x0, first1);
            first2 = FloatVector.fromArray(SPECIES, p, at + 2 * LANES).fma(x0, first2);
            second0 = FloatVector.fromArray(SPECIES, p, later).fma(x1, second0);
            second1 = FloatVector.fromArray(SPECIES, p, later + LANES).fma(x1, second1);
            second2 = FloatVector.fromArray(SPECIES, p, later + 2 * LANES).fma(x1, second2);
        }
        first0.add(second0).intoArray(y, yo);
        first1.add(second1).intoArray(y, yo + LANES);
        first2.add(second2).intoArray(y, yo + 2 * LANES);
        lastColumn(x, xo, k, 1, p, po, y, yo, stride);
    }

    /**
     * For an odd K, adds the last k's products to the {@code rows} x P outputs the kernel has
     * just stored: the kernels' loops then run over pairs only, with no branch inside, and every
     * kernel adds the last k at the same point of the sum.
     */
    private static void lastColumn(float[] x, int xo, int k, int rows, float[] p, int po,
            float[] y, int yo, int stride) {
        if ((k & 1) == 0) {
            return;
        }
        int at = po + (k - 1) * WIDTH;
        for (int r = 0; r < rows; r++) {
            FloatVector xr = FloatVector.broadcast(SPECIES, x[xo + r * k + k - 1]);
            for (int v = 0; v < VECTORS; v++) {
                int out = yo + r * stride + v * LANES;
                FloatVector.fromArray(SPECIES, p, at + v * LANES).fma(xr,
                        FloatVector.fromArray(SPECIES, y, out)).intoArray(y, out);
            }
        }
    }
}
