package ai.collectiveagency.policy.decode;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked inner loops of {@link RowMajorMatmul}: R input rows (offset {@code xo},
 * stride K) against C weight rows (offset {@code wo}, stride K) write the R x C outputs at
 * {@code yo} (stride N), over the first {@code SPECIES.loopBound(K)} products; the caller adds the
 * scalar tail. Every accumulator is a local updated unconditionally, so C2 keeps them in vector
 * registers.
 */
final class MatmulKernels {

    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private MatmulKernels() {}

    /**
     * Eight input rows against three weight rows: 24 accumulators, for 32-register (AVX-512)
     * machines.
     */
    static void block8x3(float[] x, int xo, int k, float[] w, int wo, float[] y, int yo,
            int n) {
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
            FloatVector x4 = FloatVector.fromArray(SPECIES, x, xo + 4 * k + i);
            a40 = x4.fma(w0, a40);
            a41 = x4.fma(w1, a41);
            a42 = x4.fma(w2, a42);
            FloatVector x5 = FloatVector.fromArray(SPECIES, x, xo + 5 * k + i);
            a50 = x5.fma(w0, a50);
            a51 = x5.fma(w1, a51);
            a52 = x5.fma(w2, a52);
            FloatVector x6 = FloatVector.fromArray(SPECIES, x, xo + 6 * k + i);
            a60 = x6.fma(w0, a60);
            a61 = x6.fma(w1, a61);
            a62 = x6.fma(w2, a62);
            FloatVector x7 = FloatVector.fromArray(SPECIES, x, xo + 7 * k + i);
            a70 = x7.fma(w0, a70);
            a71 = x7.fma(w1, a71);
            a72 = x7.fma(w2, a72);
        }
        y[yo] = a00.reduceLanes(VectorOperators.ADD);
        y[yo + 1] = a01.reduceLanes(VectorOperators.ADD);
        y[yo + 2] = a02.reduceLanes(VectorOperators.ADD);
        y[yo + n] = a10.reduceLanes(VectorOperators.ADD);
        y[yo + n + 1] = a11.reduceLanes(VectorOperators.ADD);
        y[yo + n + 2] = a12.reduceLanes(VectorOperators.ADD);
        y[yo + 2 * n] = a20.reduceLanes(VectorOperators.ADD);
        y[yo + 2 * n + 1] = a21.reduceLanes(VectorOperators.ADD);
        y[yo + 2 * n + 2] = a22.reduceLanes(VectorOperators.ADD);
        y[yo + 3 * n] = a30.reduceLanes(VectorOperators.ADD);
        y[yo + 3 * n + 1] = a31.reduceLanes(VectorOperators.ADD);
        y[yo + 3 * n + 2] = a32.reduceLanes(VectorOperators.ADD);
        y[yo + 4 * n] = a40.reduceLanes(VectorOperators.ADD);
        y[yo + 4 * n + 1] = a41.reduceLanes(VectorOperators.ADD);
        y[yo + 4 * n + 2] = a42.reduceLanes(VectorOperators.ADD);
        y[yo + 5 * n] = a50.reduceLanes(VectorOperators.ADD);
        y[yo + 5 * n + 1] = a51.reduceLanes(VectorOperators.ADD);
        y[yo + 5 * n + 2] = a52.reduceLanes(VectorOperators.ADD);
        y[yo + 6 * n] = a60.reduceLanes(VectorOperators.ADD);
        y[yo + 6 * n + 1] = a61.reduceLanes(VectorOperators.ADD);
        y[yo + 6 * n + 2] = a62.reduceLanes(VectorOperators.ADD);
        y[yo + 7 * n] = a70.reduceLanes(VectorOperators.ADD);
        y[yo + 7 * n + 1] = a71.reduceLanes(VectorOperators.ADD);
        y[yo + 7 * n + 2] = a72.reduceLanes(VectorOperators.ADD);
    }

    /** Four input rows against three weight rows: 12 accumulators (fits 16 registers). */
    static void block4x3(float[] x, int xo, int k, float[] w, int wo, float[] y, int yo,
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
        y[yo] = a00.reduceLanes(VectorOperators.ADD);
        y[yo + 1] = a01.reduceLanes(VectorOperators.ADD);
        y[yo + 2] = a02.reduceLanes(VectorOperators.ADD);
        y[yo + n] = a10.reduceLanes(VectorOperators.ADD);
        y[yo + n + 1] = a11.reduceLanes(VectorOperators.ADD);
        y[yo + n + 2] = a12.reduceLanes(VectorOperators.ADD);
        y[yo + 2 * n] = a20.reduceLanes(VectorOperators.ADD);
        y[yo + 2 * n + 1] = a21.reduceLanes(VectorOperators.ADD);
        y[yo + 2 * n + 2] = a22.reduceLanes(VectorOperators.ADD);
        y[yo + 3 * n] = a30.reduceLanes(VectorOperators.ADD);
        y[yo + 3 * n + 1] = a31.reduceLanes(VectorOperators.ADD);
        y[yo + 3 * n + 2] = a32.reduceLanes(VectorOperators.ADD);
    }

    /** One input row against three weight rows. */
    static void block1x3(float[] x, int xo, int k, float[] w, int wo, float[] y,
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
        y[yo] = a0.reduceLanes(VectorOperators.ADD);
        y[yo + 1] = a1.reduceLanes(VectorOperators.ADD);
        y[yo + 2] = a2.reduceLanes(VectorOperators.ADD);
    }

    /** Four input rows against one weight row. */
    static void block4x1(float[] x, int xo, int k, float[] w, int wo, float[] y, int yo,
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
        y[yo] = a0.reduceLanes(VectorOperators.ADD);
        y[yo + n] = a1.reduceLanes(VectorOperators.ADD);
        y[yo + 2 * n] = a2.reduceLanes(VectorOperators.ADD);
        y[yo + 3 * n] = a3.reduceLanes(VectorOperators.ADD);
    }

    /** Sum of x[xo + i] * w[wo + i] over i in [0, k). */
    static float dot(float[] x, int xo, float[] w, int wo, int k) {
        int bound = SPECIES.loopBound(k);
        return vectorDot(x, xo, w, wo, bound) + tail(x, xo, w, wo, bound, k);
    }

    /** The vector part of a dot product: indices [0, bound), bound a multiple of the lanes. */
    static float vectorDot(float[] x, int xo, float[] w, int wo, int bound) {
        FloatVector acc = FloatVector.zero(SPECIES);
        for (int i = 0; i < bound; i += SPECIES.length()) {
            acc = FloatVector.fromArray(SPECIES, x, xo + i)
                    .fma(FloatVector.fromArray(SPECIES, w, wo + i), acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    /** The scalar part of a dot product: indices [from, k) past the last whole vector. */
    static float tail(float[] x, int xo, float[] w, int wo, int from, int k) {
        float sum = 0;
        for (int i = from; i < k; i++) {
            sum += x[xo + i] * w[wo + i];
        }
        return sum;
    }
}
