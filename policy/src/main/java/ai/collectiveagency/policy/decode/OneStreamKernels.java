package ai.collectiveagency.policy.decode;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link PanelKernels}' loops for {@link PanelStreams#ONE}: the same register blocking (R input
 * rows x three weight vectors of FMA accumulators, one load of each weight vector per k step),
 * but each kernel reads its panel as one stream, k = 0, 1, ..., K - 1, one step per iteration.
 *
 * <p>Each output of the 2-, 4- and 8-row kernels is one FMA chain over k in order, so they agree
 * bit for bit with each other, and differ in the last bits from {@link PanelKernels}', which
 * pair k with k + K/2. The 1-row kernel keeps two chains per output vector, even and odd k, so
 * that at batch 1 six FMA chains are in flight; its sum's order differs again.
 *
 * <p>Their arithmetic is that of the kernels before the two streams (35ee614), which the Zen 4
 * VM's figures of 2026-12-05 (a1d5e81) were measured with. On the Zen 5 VM a decode step's
 * products (the 40M bench model's matrices, both threads, one process alternating the two
 * families, medians of 95 rounds) ran 1.29x as fast as with {@link PanelKernels} at batch 16,
 * 1.40x at batch 8, 1.10x at batch 4 and 1.17x at batch 1. Laying each pair (k, k + K/2) side
 * by side in memory, so that the two-stream loops read one stream, gained only 1.08-1.15x at
 * batch 16 and 0.97-1.05x at batch 1: on that CPU the loop of one k step reads faster, not only
 * the single stream.
 */
final class OneStreamKernels {

    private static final VectorSpecies<Float> SPECIES = PackedMatrix.SPECIES;
    private static final int LANES = SPECIES.length();
    private static final int WIDTH = PackedMatrix.WIDTH;

    private OneStreamKernels() {}

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
            FloatVector xr;
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
            FloatVector xr;
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
            FloatVector xr;
            xr = FloatVector.broadcast(SPECIES, x[xo + i]);
            a00 = w0.fma(xr, a00);
            a01 = w1.fma(xr, a01);
            a02 = w2.fma(xr, a02);
            xr = FloatVector.broadcast(SPECIES, x[xo + k + i]);
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
    }

    /** 1 input row against one panel: even k into one set of accumulators, odd k into another. */
    static void rows1(float[] x, int xo, int k, float[] p, int po, float[] y, int yo,
            int stride) {
        FloatVector even0 = FloatVector.zero(SPECIES);
        FloatVector even1 = FloatVector.zero(SPECIES);
        FloatVector even2 = FloatVector.zero(SPECIES);
        FloatVector odd0 = FloatVector.zero(SPECIES);
        FloatVector odd1 = FloatVector.zero(SPECIES);
        FloatVector odd2 = FloatVector.zero(SPECIES);
        int pairs = k / 2;
        for (int i = 0; i < pairs; i++) {
            int at = po + 2 * i * WIDTH;
            int next = at + WIDTH;
            FloatVector x0 = FloatVector.broadcast(SPECIES, x[xo + 2 * i]);
            FloatVector x1 = FloatVector.broadcast(SPECIES, x[xo + 2 * i + 1]);
            even0 = FloatVector.fromArray(SPECIES, p, at).fma(x0, even0);
            even1 = FloatVector.fromArray(SPECIES, p, at + LANES).fma(x0, even1);
            even2 = FloatVector.fromArray(SPECIES, p, at + 2 * LANES).fma(x0, even2);
            odd0 = FloatVector.fromArray(SPECIES, p, next).fma(x1, odd0);
            odd1 = FloatVector.fromArray(SPECIES, p, next + LANES).fma(x1, odd1);
            odd2 = FloatVector.fromArray(SPECIES, p, next + 2 * LANES).fma(x1, odd2);
        }
        if ((k & 1) == 1) { // an odd K's last step goes to the even set
            int at = po + (k - 1) * WIDTH;
            FloatVector xr = FloatVector.broadcast(SPECIES, x[xo + k - 1]);
            even0 = FloatVector.fromArray(SPECIES, p, at).fma(xr, even0);
            even1 = FloatVector.fromArray(SPECIES, p, at + LANES).fma(xr, even1);
            even2 = FloatVector.fromArray(SPECIES, p, at + 2 * LANES).fma(xr, even2);
        }
        even0.add(odd0).intoArray(y, yo);
        even1.add(odd1).intoArray(y, yo + LANES);
        even2.add(odd2).intoArray(y, yo + 2 * LANES);
    }
}
