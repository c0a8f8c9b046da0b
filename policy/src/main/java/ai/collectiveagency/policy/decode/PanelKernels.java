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
 * take a batch's remainder; the 1-row kernel, batch 1's, splits its sum over k in two (see
 * {@link #rows1}).
 */
final class PanelKernels {

    private static final VectorSpecies<Float> SPECIES = PackedMatrix.SPECIES;
    private static final int LANES = SPECIES.length();
    private static final int WIDTH = PackedMatrix.WIDTH;

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
        for (int i = 0; i < k; i++) {
            int at = po + i * WIDTH;
            FloatVector w0 = FloatVector.fromArray(SPECIES, p, at);
            FloatVector w1 = FloatVector.fromArray(SPECIES, p, at + LANES);
            FloatVector w2 = FloatVector.fromArray(SPECIES, p, at + 2 * LANES);
            FloatVector x0 = FloatVector.broadcast(SPECIES, x[xo + i]);
            a00 = w0.fma(x0, a00);
            a01 = w1.fma(x0, a01);
            a02 = w2.fma(x0, a02);
            FloatVector x1 = FloatVector.broadcast(SPECIES, x[xo + k + i]);
            a10 = w0.fma(x1, a10);
            a11 = w1.fma(x1, a11);
            a12 = w2.fma(x1, a12);
            FloatVector x2 = FloatVector.broadcast(SPECIES, x[xo + 2 * k + i]);
            a20 = w0.fma(x2, a20);
            a21 = w1.fma(x2, a21);
            a22 = w2.fma(x2, a22);
            FloatVector x3 = FloatVector.broadcast(SPECIES, x[xo + 3 * k + i]);
            a30 = w0.fma(x3, a30);
            a31 = w1.fma(x3, a31);
            a32 = w2.fma(x3, a32);
            FloatVector x4 = FloatVector.broadcast(SPECIES, x[xo + 4 * k + i]);
            a40 = w0.fma(x4, a40);
            a41 = w1.fma(x4, a41);
            a42 = w2.fma(x4, a42);
            FloatVector x5 = FloatVector.broadcast(SPECIES, x[xo + 5 * k + i]);
            a50 = w0.fma(x5, a50);
            a51 = w1.fma(x5, a51);
            a52 = w2.fma(x5, a52);
            FloatVector x6 = FloatVector.broadcast(SPECIES, x[xo + 6 * k + i]);
            a60 = w0.fma(x6, a60);
            a61 = w1.fma(x6, a61);
            a62 = w2.fma(x6, a62);
            FloatVector x7 = FloatVector.broadcast(SPECIES, x[xo + 7 * k + i]);
            a70 = w0.fma(x7, a70);
            a71 = w1.fma(x7, a71);
            a72 = w2.fma(x7, a72);
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
        for (int i = 0; i < k; i++) {
            int at = po + i * WIDTH;
            FloatVector w0 = FloatVector.fromArray(SPECIES, p, at);
            FloatVector w1 = FloatVector.fromArray(SPECIES, p, at + LANES);
            FloatVector w2 = FloatVector.fromArray(SPECIES, p, at + 2 * LANES);
            FloatVector x0 = FloatVector.broadcast(SPECIES, x[xo + i]);
            a00 = w0.fma(x0, a00);
            a01 = w1.fma(x0, a01);
            a02 = w2.fma(x0, a02);
            FloatVector x1 = FloatVector.broadcast(SPECIES, x[xo + k + i]);
            a10 = w0.fma(x1, a10);
            a11 = w1.fma(x1, a11);
            a12 = w2.fma(x1, a12);
            FloatVector x2 = FloatVector.broadcast(SPECIES, x[xo + 2 * k + i]);
            a20 = w0.fma(x2, a20);
            a21 = w1.fma(x2, a21);
            a22 = w2.fma(x2, a22);
            FloatVector x3 = FloatVector.broadcast(SPECIES, x[xo + 3 * k + i]);
            a30 = w0.fma(x3, a30);
            a31 = w1.fma(x3, a31);
            a32 = w2.fma(x3, a32);
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
        for (int i = 0; i < k; i++) {
            int at = po + i * WIDTH;
            FloatVector w0 = FloatVector.fromArray(SPECIES, p, at);
            FloatVector w1 = FloatVector.fromArray(SPECIES, p, at + LANES);
            FloatVector w2 = FloatVector.fromArray(SPECIES, p, at + 2 * LANES);
            FloatVector x0 = FloatVector.broadcast(SPECIES, x[xo + i]);
            a00 = w0.fma(x0, a00);
            a01 = w1.fma(x0, a01);
            a02 = w2.fma(x0, a02);
            FloatVector x1 = FloatVector.broadcast(SPECIES, x[xo + k + i]);
            a10 = w0.fma(x1, a10);
            a11 = w1.fma(x1, a11);
            a12 = w2.fma(x1, a12);
        }
        a00.intoArray(y, yo);
        a01.intoArray(y, yo + LANES);
        a02.intoArray(y, yo + 2 * LANES);
        a10.intoArray(y, yo + stride);
        a11.intoArray(y, yo + stride + LANES);
        a12.intoArray(y, yo + stride + 2 * LANES);
    }

    /**
     * 1 input row against one panel, in two sets of 3 accumulators: even k into one, odd k into
     * the other, added at the end. One set would leave 3 FMA chains in flight for a whole matrix,
     * and at batch 1 this kernel streams every weight: with 6 the decoder's matmuls read 9%
     * faster here (37.4 against 34.3 GB/s, medians of 277 interleaved rounds) and about 20%
     * faster while the VM's memory was fast (54.9 against 45.5). The sum's order therefore
     * differs from the other kernels' in the last bits, for a row decoded alone or as a batch's
     * remainder.
     */
    static void rows1(float[] x, int xo, int k, float[] p, int po, float[] y, int yo,
            int stride) {
        FloatVector even0 = FloatVector.zero(SPECIES);
        FloatVector even1 = FloatVector.zero(SPECIES);
        FloatVector even2 = FloatVector.zero(SPECIES);
        FloatVector odd0 = FloatVector.zero(SPECIES);
        FloatVector odd1 = FloatVector.zero(SPECIES);
        FloatVector odd2 = FloatVector.zero(SPECIES);
        int i = 0;
        for (; i + 1 < k; i += 2) {
            int at = po + i * WIDTH;
            FloatVector x0 = FloatVector.broadcast(SPECIES, x[xo + i]);
            FloatVector x1 = FloatVector.broadcast(SPECIES, x[xo + i + 1]);
            even0 = FloatVector.fromArray(SPECIES, p, at).fma(x0, even0);
            even1 = FloatVector.fromArray(SPECIES, p, at + LANES).fma(x0, even1);
            even2 = FloatVector.fromArray(SPECIES, p, at + 2 * LANES).fma(x0, even2);
            odd0 = FloatVector.fromArray(SPECIES, p, at + WIDTH).fma(x1, odd0);
            odd1 = FloatVector.fromArray(SPECIES, p, at + WIDTH + LANES).fma(x1, odd1);
            odd2 = FloatVector.fromArray(SPECIES, p, at + WIDTH + 2 * LANES).fma(x1, odd2);
        }
        if (i < k) { // odd k: the last step goes to the even set
            int at = po + i * WIDTH;
            FloatVector x0 = FloatVector.broadcast(SPECIES, x[xo + i]);
            even0 = FloatVector.fromArray(SPECIES, p, at).fma(x0, even0);
            even1 = FloatVector.fromArray(SPECIES, p, at + LANES).fma(x0, even1);
            even2 = FloatVector.fromArray(SPECIES, p, at + 2 * LANES).fma(x0, even2);
        }
        even0.add(odd0).intoArray(y, yo);
        even1.add(odd1).intoArray(y, yo + LANES);
        even2.add(odd2).intoArray(y, yo + 2 * LANES);
    }
}
