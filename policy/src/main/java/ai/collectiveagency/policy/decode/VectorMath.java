package ai.collectiveagency.policy.decode;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API loops over float[] slices used by decoding and sampling: dot products, scaled
 * accumulation, maxima and exponentials. Each takes (array, offset, length) and handles a length
 * that is not a multiple of the vector width with a scalar tail, except {@link #tileDots}, which
 * works on whole tiles of one vector's width.
 */
public final class VectorMath {

    private static final VectorSpecies<Float> SPECIES = PackedMatrix.SPECIES;

    private VectorMath() {}

    /** Sum of a[ao + i] * b[bo + i] over i in [0, n). */
    public static float dot(float[] a, int ao, float[] b, int bo, int n) {
        FloatVector acc = FloatVector.zero(SPECIES);
        int bound = SPECIES.loopBound(n);
        int i = 0;
        for (; i < bound; i += SPECIES.length()) {
            acc = FloatVector.fromArray(SPECIES, a, ao + i)
                    .fma(FloatVector.fromArray(SPECIES, b, bo + i), acc);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            sum += a[ao + i] * b[bo + i];
        }
        return sum;
    }

    /**
     * The dot products of one vector with the columns of consecutive tiles, each tile a (dims,
     * V) row-major block of V = one vector's lanes: out[t·V + j] = sum_d q[qo + d] ·
     * tiles[to + t·dims·V + d·V + j] for t in [0, count), j in [0, V). A tile is one contiguous
     * run read a vector at a time, one FMA per d and no horizontal sum, four tiles at once
     * where they fit. Every column sums over d in the same order, whichever loop takes it, so a
     * result depends neither on the count nor on the tile's place.
     */
    public static void tileDots(float[] q, int qo, int dims, float[] tiles, int to, int count,
            float[] out) {
        int lanes = SPECIES.length();
        int tile = dims * lanes;
        int t = 0;
        for (; t + 4 <= count; t += 4) {
            FloatVector a0 = FloatVector.zero(SPECIES);
            FloatVector a1 = FloatVector.zero(SPECIES);
            FloatVector a2 = FloatVector.zero(SPECIES);
            FloatVector a3 = FloatVector.zero(SPECIES);
            int at = to + t * tile;
            for (int d = 0; d < dims; d++, at += lanes) {
                FloatVector qd = FloatVector.broadcast(SPECIES, q[qo + d]);
                a0 = FloatVector.fromArray(SPECIES, tiles, at).fma(qd, a0);
                a1 = FloatVector.fromArray(SPECIES, tiles, at + tile).fma(qd, a1);
                a2 = FloatVector.fromArray(SPECIES, tiles, at + 2 * tile).fma(qd, a2);
                a3 = FloatVector.fromArray(SPECIES, tiles, at + 3 * tile).fma(qd, a3);
            }
            a0.intoArray(out, t * lanes);
            a1.intoArray(out, (t + 1) * lanes);
            a2.intoArray(out, (t + 2) * lanes);
            a3.intoArray(out, (t + 3) * lanes);
        }
        for (; t < count; t++) {
            FloatVector a = FloatVector.zero(SPECIES);
            int at = to + t * tile;
            for (int d = 0; d < dims; d++, at += lanes) {
                a = FloatVector.fromArray(SPECIES, tiles, at)
                        .fma(FloatVector.broadcast(SPECIES, q[qo + d]), a);
            }
            a.intoArray(out, t * lanes);
        }
    }

    /**
     * Sum of a[ao + i] over i in [0, n), in four independent accumulators so that a long slice
     * streams at memory speed rather than at one add's latency per vector.
     */
    public static float sum(float[] a, int ao, int n) {
        int step = 4 * SPECIES.length();
        int bound = n - n % step;
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = FloatVector.zero(SPECIES);
        FloatVector s2 = FloatVector.zero(SPECIES);
        FloatVector s3 = FloatVector.zero(SPECIES);
        int i = 0;
        for (; i < bound; i += step) {
            s0 = s0.add(FloatVector.fromArray(SPECIES, a, ao + i));
            s1 = s1.add(FloatVector.fromArray(SPECIES, a, ao + i + SPECIES.length()));
            s2 = s2.add(FloatVector.fromArray(SPECIES, a, ao + i + 2 * SPECIES.length()));
            s3 = s3.add(FloatVector.fromArray(SPECIES, a, ao + i + 3 * SPECIES.length()));
        }
        float sum = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            sum += a[ao + i];
        }
        return sum;
    }

    /**
     * out[oo + d] = scale · sum_s weights[wo + s] · rows[ro + s·width + d] for d in [0, width),
     * s in [0, n): a weighted sum of n consecutive rows, each output vector kept in a register.
     * Up to four output vectors go through the rows together, so that four FMA chains are in
     * flight instead of one; each output still sums over s in order.
     */
    public static void weightedRows(float[] weights, int wo, int n, float scale, float[] rows,
            int ro, int width, float[] out, int oo) {
        int lanes = SPECIES.length();
        int bound = SPECIES.loopBound(width);
        int d = 0;
        for (; d + 4 * lanes <= bound; d += 4 * lanes) {
            FloatVector a0 = FloatVector.zero(SPECIES);
            FloatVector a1 = FloatVector.zero(SPECIES);
            FloatVector a2 = FloatVector.zero(SPECIES);
            FloatVector a3 = FloatVector.zero(SPECIES);
            for (int s = 0; s < n; s++) {
                FloatVector w = FloatVector.broadcast(SPECIES, weights[wo + s]);
                int at = ro + s * width + d;
                a0 = FloatVector.fromArray(SPECIES, rows, at).fma(w, a0);
                a1 = FloatVector.fromArray(SPECIES, rows, at + lanes).fma(w, a1);
                a2 = FloatVector.fromArray(SPECIES, rows, at + 2 * lanes).fma(w, a2);
                a3 = FloatVector.fromArray(SPECIES, rows, at + 3 * lanes).fma(w, a3);
            }
            a0.mul(scale).intoArray(out, oo + d);
            a1.mul(scale).intoArray(out, oo + d + lanes);
            a2.mul(scale).intoArray(out, oo + d + 2 * lanes);
            a3.mul(scale).intoArray(out, oo + d + 3 * lanes);
        }
        for (; d < bound; d += lanes) {
            FloatVector acc = FloatVector.zero(SPECIES);
            for (int s = 0; s < n; s++) {
                acc = FloatVector.fromArray(SPECIES, rows, ro + s * width + d)
                        .fma(FloatVector.broadcast(SPECIES, weights[wo + s]), acc);
            }
            acc.mul(scale).intoArray(out, oo + d);
        }
        for (; d < width; d++) {
            float sum = 0;
            for (int s = 0; s < n; s++) {
                sum += weights[wo + s] * rows[ro + s * width + d];
            }
            out[oo + d] = sum * scale;
        }
    }

    /** y[yo + i] += x[xo + i] for i in [0, n). */
    public static void add(float[] x, int xo, float[] y, int yo, int n) {
        int bound = SPECIES.loopBound(n);
        int i = 0;
        for (; i < bound; i += SPECIES.length()) {
            FloatVector.fromArray(SPECIES, x, xo + i)
                    .add(FloatVector.fromArray(SPECIES, y, yo + i))
                    .intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] += x[xo + i];
        }
    }

    /** out[oo + i] = (a[ao + i] - first) - second for i in [0, n). */
    public static void subtract(float[] a, int ao, float first, float second, float[] out,
            int oo, int n) {
        int bound = SPECIES.loopBound(n);
        int i = 0;
        for (; i < bound; i += SPECIES.length()) {
            FloatVector.fromArray(SPECIES, a, ao + i).sub(first).sub(second)
                    .intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = a[ao + i] - first - second;
        }
    }

    /** out[oo + i] = a[ao + i] / divisor for i in [0, n). */
    public static void divide(float[] a, int ao, float divisor, float[] out, int oo, int n) {
        int bound = SPECIES.loopBound(n);
        int i = 0;
        for (; i < bound; i += SPECIES.length()) {
            FloatVector.fromArray(SPECIES, a, ao + i).div(divisor).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = a[ao + i] / divisor;
        }
    }

    /** The largest of a[ao], ..., a[ao + n - 1] (n >= 1). */
    public static float max(float[] a, int ao, int n) {
        int bound = SPECIES.loopBound(n);
        float best = Float.NEGATIVE_INFINITY;
        if (bound > 0) {
            FloatVector m = FloatVector.fromArray(SPECIES, a, ao);
            for (int i = SPECIES.length(); i < bound; i += SPECIES.length()) {
                m = m.max(FloatVector.fromArray(SPECIES, a, ao + i));
            }
            best = m.reduceLanes(VectorOperators.MAX);
        }
        for (int i = bound; i < n; i++) {
            best = Math.max(best, a[ao + i]);
        }
        return best;
    }

    /** out[oo + i] = exp(a[ao + i] * scale - shift) for i in [0, n); returns their float sum. */
    public static float exp(float[] a, int ao, float scale, float shift, float[] out, int oo,
            int n) {
        int bound = SPECIES.loopBound(n);
        FloatVector sum = FloatVector.zero(SPECIES);
        int i = 0;
        for (; i < bound; i += SPECIES.length()) {
            FloatVector e = FloatVector.fromArray(SPECIES, a, ao + i).mul(scale).sub(shift)
                    .lanewise(VectorOperators.EXP);
            e.intoArray(out, oo + i);
            sum = sum.add(e);
        }
        float total = sum.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            float e = (float) Math.exp(a[ao + i] * scale - shift);
            out[oo + i] = e;
            total += e;
        }
        return total;
    }

    /** out[oo + i] = silu(gate[go + i]) * up[uo + i] for i in [0, n), silu(g) = g·sigmoid(g). */
    public static void siluTimes(float[] gate, int go, float[] up, int uo, float[] out, int oo,
            int n) {
        int bound = SPECIES.loopBound(n);
        int i = 0;
        for (; i < bound; i += SPECIES.length()) {
            FloatVector g = FloatVector.fromArray(SPECIES, gate, go + i);
            FloatVector sigmoid = FloatVector.broadcast(SPECIES, 1f)
                    .div(g.neg().lanewise(VectorOperators.EXP).add(1f));
            g.mul(sigmoid).mul(FloatVector.fromArray(SPECIES, up, uo + i)).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            float g = gate[go + i];
            out[oo + i] = g * (float) (1 / (1 + Math.exp(-g))) * up[uo + i];
        }
    }

    /**
     * RMSNorm (Zhang and Sennrich 2019) of one row: out = x / sqrt(mean(x^2) + eps) * weight.
     */
    /**
     * Qwen3's q/k norm: RMSNorm, in place, of {@code count} consecutive heads of {@code headDim}
     * floats from x[offset], each head on its own, all with {@code weight}.
     */
    public static void rmsNormHeads(float[] x, int offset, int count, int headDim,
            float[] weight, float eps) {
        for (int h = 0; h < count; h++) {
            int head = offset + h * headDim;
            rmsNorm(x, head, weight, eps, x, head, headDim);
        }
    }

    public static void rmsNorm(float[] x, int xo, float[] weight, float eps, float[] out, int oo,
            int n) {
        float variance = dot(x, xo, x, xo, n) / n;
        float inverse = (float) (1 / Math.sqrt(variance + eps));
        int bound = SPECIES.loopBound(n);
        int i = 0;
        for (; i < bound; i += SPECIES.length()) {
            FloatVector.fromArray(SPECIES, x, xo + i).mul(inverse)
                    .mul(FloatVector.fromArray(SPECIES, weight, i))
                    .intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = x[xo + i] * inverse * weight[i];
        }
    }
}
