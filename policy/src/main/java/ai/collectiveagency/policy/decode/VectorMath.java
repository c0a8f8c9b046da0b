package ai.collectiveagency.policy.decode;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API loops over float[] slices used by decoding, sampling and prefill attention: dot
 * products, scaled accumulation, maxima and exponentials, and the key tiles' layout. Each takes (array, offset, length) and handles a length
 * that is not a multiple of the vector width with a scalar tail, except {@link #tileDots} and
 * {@link #tileDots4}, which work on whole tiles of one vector's width.
 */
public final class VectorMath {

    private static final VectorSpecies<Float> SPECIES = PackedMatrix.SPECIES;
    /**
     * Each thread's running sums of {@link #exp}: made per call, they were 11 MB of garbage a
     * batch-16 generation of the bench model (one call per query head a step and layer).
     */
    private static final ThreadArrays EXP_LANES = new ThreadArrays(1);

    /** Floats in one vector: the positions in one key tile ({@link #tileDots}). */
    public static final int LANES = SPECIES.length();

    private VectorMath() {}

    /**
     * Puts one key's {@code dims} floats, from {@code source[from]}, into position {@code slot}
     * of the tiles (tiles, dims, LANES) that start at {@code tiles[base]}: the layout that
     * {@link #tileDots} reads.
     */
    public static void scatterKey(float[] source, int from, int dims, float[] tiles, int base,
            int slot) {
        int at = base + slot / LANES * dims * LANES + slot % LANES;
        for (int d = 0; d < dims; d++) {
            tiles[at + d * LANES] = source[from + d];
        }
    }

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
     * V) row-major block of V = one vector's lanes: out[oo + t·V + j] = sum_d q[qo + d] ·
     * tiles[to + t·dims·V + d·V + j] for t in [0, count), j in [0, V). A tile is one contiguous
     * run read a vector at a time, one FMA per d and no horizontal sum, four tiles at once
     * where they fit. Every column sums over d in the same order, whichever loop takes it, so a
     * result depends neither on the count nor on the tile's place.
     */
    public static void tileDots(float[] q, int qo, int dims, float[] tiles, int to, int count,
            float[] out, int oo) {
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
            a0.intoArray(out, oo + t * lanes);
            a1.intoArray(out, oo + (t + 1) * lanes);
            a2.intoArray(out, oo + (t + 2) * lanes);
            a3.intoArray(out, oo + (t + 3) * lanes);
        }
        for (; t < count; t++) {
            FloatVector a = FloatVector.zero(SPECIES);
            int at = to + t * tile;
            for (int d = 0; d < dims; d++, at += lanes) {
                a = FloatVector.fromArray(SPECIES, tiles, at)
                        .fma(FloatVector.broadcast(SPECIES, q[qo + d]), a);
            }
            a.intoArray(out, oo + t * lanes);
        }
    }

    /**
     * {@link #tileDots} for four queries at once, the r-th at {@code qo + r·qStride}, into
     * {@code out[r·outStride + t·V + j]}: each tile vector is loaded once for the four queries,
     * two tiles at a time, so eight FMA chains are in flight, and an odd count's last tile
     * with four. Each column sums over d in the same order as in {@code tileDots}, so the two
     * give the same bits.
     */
    public static void tileDots4(float[] q, int qo, int qStride, int dims, float[] tiles, int to,
            int count, float[] out, int outStride) {
        int lanes = SPECIES.length();
        int tile = dims * lanes;
        int q1 = qo + qStride;
        int q2 = q1 + qStride;
        int q3 = q2 + qStride;
        int t = 0;
        for (; t + 2 <= count; t += 2) {
            FloatVector a0 = FloatVector.zero(SPECIES);
            FloatVector a1 = FloatVector.zero(SPECIES);
            FloatVector a2 = FloatVector.zero(SPECIES);
            FloatVector a3 = FloatVector.zero(SPECIES);
            FloatVector b0 = FloatVector.zero(SPECIES);
            FloatVector b1 = FloatVector.zero(SPECIES);
            FloatVector b2 = FloatVector.zero(SPECIES);
            FloatVector b3 = FloatVector.zero(SPECIES);
            int at = to + t * tile;
            for (int d = 0; d < dims; d++, at += lanes) {
                FloatVector k = FloatVector.fromArray(SPECIES, tiles, at);
                FloatVector l = FloatVector.fromArray(SPECIES, tiles, at + tile);
                FloatVector x0 = FloatVector.broadcast(SPECIES, q[qo + d]);
                FloatVector x1 = FloatVector.broadcast(SPECIES, q[q1 + d]);
                FloatVector x2 = FloatVector.broadcast(SPECIES, q[q2 + d]);
                FloatVector x3 = FloatVector.broadcast(SPECIES, q[q3 + d]);
                a0 = k.fma(x0, a0);
                a1 = k.fma(x1, a1);
                a2 = k.fma(x2, a2);
                a3 = k.fma(x3, a3);
                b0 = l.fma(x0, b0);
                b1 = l.fma(x1, b1);
                b2 = l.fma(x2, b2);
                b3 = l.fma(x3, b3);
            }
            int o = t * lanes;
            a0.intoArray(out, o);
            a1.intoArray(out, o + outStride);
            a2.intoArray(out, o + 2 * outStride);
            a3.intoArray(out, o + 3 * outStride);
            b0.intoArray(out, o + lanes);
            b1.intoArray(out, o + lanes + outStride);
            b2.intoArray(out, o + lanes + 2 * outStride);
            b3.intoArray(out, o + lanes + 3 * outStride);
        }
        if (t < count) { // the last of an odd count: its four chains side by side
            FloatVector a0 = FloatVector.zero(SPECIES);
            FloatVector a1 = FloatVector.zero(SPECIES);
            FloatVector a2 = FloatVector.zero(SPECIES);
            FloatVector a3 = FloatVector.zero(SPECIES);
            int at = to + t * tile;
            for (int d = 0; d < dims; d++, at += lanes) {
                FloatVector k = FloatVector.fromArray(SPECIES, tiles, at);
                a0 = k.fma(FloatVector.broadcast(SPECIES, q[qo + d]), a0);
                a1 = k.fma(FloatVector.broadcast(SPECIES, q[q1 + d]), a1);
                a2 = k.fma(FloatVector.broadcast(SPECIES, q[q2 + d]), a2);
                a3 = k.fma(FloatVector.broadcast(SPECIES, q[q3 + d]), a3);
            }
            int o = t * lanes;
            a0.intoArray(out, o);
            a1.intoArray(out, o + outStride);
            a2.intoArray(out, o + 2 * outStride);
            a3.intoArray(out, o + 3 * outStride);
        }
    }

    /**
     * {@link #tileDots} for two queries at once, the second at {@code qo + qStride}, into
     * {@code out[r·outStride + t·V + j]}: each tile vector is loaded once for both queries, four
     * tiles at a time, so eight FMA chains are in flight, then the last tiles two (four chains)
     * and one (two) at a time. Each column sums over d in the same order as in
     * {@code tileDots}, so the two give the same bits.
     */
    public static void tileDots2(float[] q, int qo, int qStride, int dims, float[] tiles, int to,
            int count, float[] out, int outStride) {
        int lanes = SPECIES.length();
        int tile = dims * lanes;
        int q1 = qo + qStride;
        int t = 0;
        for (; t + 4 <= count; t += 4) {
            FloatVector a0 = FloatVector.zero(SPECIES);
            FloatVector a1 = FloatVector.zero(SPECIES);
            FloatVector a2 = FloatVector.zero(SPECIES);
            FloatVector a3 = FloatVector.zero(SPECIES);
            FloatVector b0 = FloatVector.zero(SPECIES);
            FloatVector b1 = FloatVector.zero(SPECIES);
            FloatVector b2 = FloatVector.zero(SPECIES);
            FloatVector b3 = FloatVector.zero(SPECIES);
            int at = to + t * tile;
            for (int d = 0; d < dims; d++, at += lanes) {
                FloatVector k0 = FloatVector.fromArray(SPECIES, tiles, at);
                FloatVector k1 = FloatVector.fromArray(SPECIES, tiles, at + tile);
                FloatVector k2 = FloatVector.fromArray(SPECIES, tiles, at + 2 * tile);
                FloatVector k3 = FloatVector.fromArray(SPECIES, tiles, at + 3 * tile);
                FloatVector x0 = FloatVector.broadcast(SPECIES, q[qo + d]);
                FloatVector x1 = FloatVector.broadcast(SPECIES, q[q1 + d]);
                a0 = k0.fma(x0, a0);
                a1 = k1.fma(x0, a1);
                a2 = k2.fma(x0, a2);
                a3 = k3.fma(x0, a3);
                b0 = k0.fma(x1, b0);
                b1 = k1.fma(x1, b1);
                b2 = k2.fma(x1, b2);
                b3 = k3.fma(x1, b3);
            }
            int o = t * lanes;
            a0.intoArray(out, o);
            a1.intoArray(out, o + lanes);
            a2.intoArray(out, o + 2 * lanes);
            a3.intoArray(out, o + 3 * lanes);
            b0.intoArray(out, o + outStride);
            b1.intoArray(out, o + lanes + outStride);
            b2.intoArray(out, o + 2 * lanes + outStride);
            b3.intoArray(out, o + 3 * lanes + outStride);
        }
        for (; t + 2 <= count; t += 2) { // two of the last three tiles: four chains
            FloatVector a0 = FloatVector.zero(SPECIES);
            FloatVector a1 = FloatVector.zero(SPECIES);
            FloatVector b0 = FloatVector.zero(SPECIES);
            FloatVector b1 = FloatVector.zero(SPECIES);
            int at = to + t * tile;
            for (int d = 0; d < dims; d++, at += lanes) {
                FloatVector k0 = FloatVector.fromArray(SPECIES, tiles, at);
                FloatVector k1 = FloatVector.fromArray(SPECIES, tiles, at + tile);
                FloatVector x0 = FloatVector.broadcast(SPECIES, q[qo + d]);
                FloatVector x1 = FloatVector.broadcast(SPECIES, q[q1 + d]);
                a0 = k0.fma(x0, a0);
                a1 = k1.fma(x0, a1);
                b0 = k0.fma(x1, b0);
                b1 = k1.fma(x1, b1);
            }
            int o = t * lanes;
            a0.intoArray(out, o);
            a1.intoArray(out, o + lanes);
            b0.intoArray(out, o + outStride);
            b1.intoArray(out, o + lanes + outStride);
        }
        if (t < count) { // the last of an odd count: both queries' chains side by side
            FloatVector a = FloatVector.zero(SPECIES);
            FloatVector b = FloatVector.zero(SPECIES);
            int at = to + t * tile;
            for (int d = 0; d < dims; d++, at += lanes) {
                FloatVector k = FloatVector.fromArray(SPECIES, tiles, at);
                a = k.fma(FloatVector.broadcast(SPECIES, q[qo + d]), a);
                b = k.fma(FloatVector.broadcast(SPECIES, q[q1 + d]), b);
            }
            a.intoArray(out, t * lanes);
            b.intoArray(out, t * lanes + outStride);
        }
    }

    /**
     * {@link #weightedRows} for two weight rows at once over the same n rows: out row r (at
     * {@code oo + r·oStride}) = scales[r] · sum_s weights[wo + r·wStride + s] · rows[ro +
     * s·width + ...]. Each row vector is loaded once for both outputs, four vectors of the width
     * at a time (eight FMA chains); each output sums over s in order, so the two give
     * {@code weightedRows}' bits.
     */
    public static void weightedRows2(float[] weights, int wo, int wStride, int n, float[] scales,
            float[] rows, int ro, int width, float[] out, int oo, int oStride) {
        int lanes = SPECIES.length();
        int bound = SPECIES.loopBound(width);
        int w1 = wo + wStride;
        int d = 0;
        for (; d + 4 * lanes <= bound; d += 4 * lanes) {
            FloatVector a0 = FloatVector.zero(SPECIES);
            FloatVector a1 = FloatVector.zero(SPECIES);
            FloatVector a2 = FloatVector.zero(SPECIES);
            FloatVector a3 = FloatVector.zero(SPECIES);
            FloatVector b0 = FloatVector.zero(SPECIES);
            FloatVector b1 = FloatVector.zero(SPECIES);
            FloatVector b2 = FloatVector.zero(SPECIES);
            FloatVector b3 = FloatVector.zero(SPECIES);
            for (int s = 0; s < n; s++) {
                int at = ro + s * width + d;
                FloatVector v0 = FloatVector.fromArray(SPECIES, rows, at);
                FloatVector v1 = FloatVector.fromArray(SPECIES, rows, at + lanes);
                FloatVector v2 = FloatVector.fromArray(SPECIES, rows, at + 2 * lanes);
                FloatVector v3 = FloatVector.fromArray(SPECIES, rows, at + 3 * lanes);
                FloatVector x0 = FloatVector.broadcast(SPECIES, weights[wo + s]);
                FloatVector x1 = FloatVector.broadcast(SPECIES, weights[w1 + s]);
                a0 = v0.fma(x0, a0);
                a1 = v1.fma(x0, a1);
                a2 = v2.fma(x0, a2);
                a3 = v3.fma(x0, a3);
                b0 = v0.fma(x1, b0);
                b1 = v1.fma(x1, b1);
                b2 = v2.fma(x1, b2);
                b3 = v3.fma(x1, b3);
            }
            a0.mul(scales[0]).intoArray(out, oo + d);
            a1.mul(scales[0]).intoArray(out, oo + d + lanes);
            a2.mul(scales[0]).intoArray(out, oo + d + 2 * lanes);
            a3.mul(scales[0]).intoArray(out, oo + d + 3 * lanes);
            b0.mul(scales[1]).intoArray(out, oo + oStride + d);
            b1.mul(scales[1]).intoArray(out, oo + oStride + d + lanes);
            b2.mul(scales[1]).intoArray(out, oo + oStride + d + 2 * lanes);
            b3.mul(scales[1]).intoArray(out, oo + oStride + d + 3 * lanes);
        }
        for (; d < bound; d += lanes) { // single vectors of the width left
            FloatVector a = FloatVector.zero(SPECIES);
            FloatVector b = FloatVector.zero(SPECIES);
            for (int s = 0; s < n; s++) {
                FloatVector v = FloatVector.fromArray(SPECIES, rows, ro + s * width + d);
                a = v.fma(FloatVector.broadcast(SPECIES, weights[wo + s]), a);
                b = v.fma(FloatVector.broadcast(SPECIES, weights[w1 + s]), b);
            }
            a.mul(scales[0]).intoArray(out, oo + d);
            b.mul(scales[1]).intoArray(out, oo + oStride + d);
        }
        if (d < width) { // what is left of the width, one output row at a time
            weightedTail(weights, wo, n, scales[0], rows, ro + d, width, width - d, out, oo + d);
            weightedTail(weights, w1, n, scales[1], rows, ro + d, width, width - d, out,
                    oo + oStride + d);
        }
    }

    /**
     * {@link #weightedRows} for four weight rows at once over the same n rows: out row r (at
     * {@code oo + r·oStride}) = scales[r] · sum_s weights[wo + r·wStride + s] · rows[ro +
     * s·width + ...]. Each row vector is loaded once for the four outputs, two vectors of the
     * width at a time (eight FMA chains), then a last single vector, then a scalar tail per
     * output row; each output sums over s in order.
     */
    public static void weightedRows4(float[] weights, int wo, int wStride, int n, float[] scales,
            float[] rows, int ro, int width, float[] out, int oo, int oStride) {
        int lanes = SPECIES.length();
        int bound = SPECIES.loopBound(width);
        int w1 = wo + wStride;
        int w2 = w1 + wStride;
        int w3 = w2 + wStride;
        int d = 0;
        for (; d + 2 * lanes <= bound; d += 2 * lanes) {
            FloatVector a0 = FloatVector.zero(SPECIES);
            FloatVector a1 = FloatVector.zero(SPECIES);
            FloatVector a2 = FloatVector.zero(SPECIES);
            FloatVector a3 = FloatVector.zero(SPECIES);
            FloatVector b0 = FloatVector.zero(SPECIES);
            FloatVector b1 = FloatVector.zero(SPECIES);
            FloatVector b2 = FloatVector.zero(SPECIES);
            FloatVector b3 = FloatVector.zero(SPECIES);
            for (int s = 0; s < n; s++) {
                int at = ro + s * width + d;
                FloatVector v = FloatVector.fromArray(SPECIES, rows, at);
                FloatVector u = FloatVector.fromArray(SPECIES, rows, at + lanes);
                FloatVector x0 = FloatVector.broadcast(SPECIES, weights[wo + s]);
                FloatVector x1 = FloatVector.broadcast(SPECIES, weights[w1 + s]);
                FloatVector x2 = FloatVector.broadcast(SPECIES, weights[w2 + s]);
                FloatVector x3 = FloatVector.broadcast(SPECIES, weights[w3 + s]);
                a0 = v.fma(x0, a0);
                a1 = v.fma(x1, a1);
                a2 = v.fma(x2, a2);
                a3 = v.fma(x3, a3);
                b0 = u.fma(x0, b0);
                b1 = u.fma(x1, b1);
                b2 = u.fma(x2, b2);
                b3 = u.fma(x3, b3);
            }
            a0.mul(scales[0]).intoArray(out, oo + d);
            a1.mul(scales[1]).intoArray(out, oo + oStride + d);
            a2.mul(scales[2]).intoArray(out, oo + 2 * oStride + d);
            a3.mul(scales[3]).intoArray(out, oo + 3 * oStride + d);
            b0.mul(scales[0]).intoArray(out, oo + d + lanes);
            b1.mul(scales[1]).intoArray(out, oo + oStride + d + lanes);
            b2.mul(scales[2]).intoArray(out, oo + 2 * oStride + d + lanes);
            b3.mul(scales[3]).intoArray(out, oo + 3 * oStride + d + lanes);
        }
        for (; d < bound; d += lanes) { // one vector of the width left
            FloatVector a0 = FloatVector.zero(SPECIES);
            FloatVector a1 = FloatVector.zero(SPECIES);
            FloatVector a2 = FloatVector.zero(SPECIES);
            FloatVector a3 = FloatVector.zero(SPECIES);
            for (int s = 0; s < n; s++) {
                FloatVector v = FloatVector.fromArray(SPECIES, rows, ro + s * width + d);
                a0 = v.fma(FloatVector.broadcast(SPECIES, weights[wo + s]), a0);
                a1 = v.fma(FloatVector.broadcast(SPECIES, weights[w1 + s]), a1);
                a2 = v.fma(FloatVector.broadcast(SPECIES, weights[w2 + s]), a2);
                a3 = v.fma(FloatVector.broadcast(SPECIES, weights[w3 + s]), a3);
            }
            a0.mul(scales[0]).intoArray(out, oo + d);
            a1.mul(scales[1]).intoArray(out, oo + oStride + d);
            a2.mul(scales[2]).intoArray(out, oo + 2 * oStride + d);
            a3.mul(scales[3]).intoArray(out, oo + 3 * oStride + d);
        }
        if (d < width) { // what is left of the width, one output row at a time
            for (int r = 0; r < 4; r++) {
                weightedTail(weights, wo + r * wStride, n, scales[r], rows, ro + d, width,
                        width - d, out, oo + r * oStride + d);
            }
        }
    }

    /** out[oo + i] = scale · sum_s weights[wo + s] · rows[ro + s·width + i] for i in [0, n). */
    private static void weightedTail(float[] weights, int wo, int count, float scale,
            float[] rows, int ro, int width, int n, float[] out, int oo) {
        for (int i = 0; i < n; i++) {
            float sum = 0;
            for (int s = 0; s < count; s++) {
                sum += weights[wo + s] * rows[ro + s * width + i];
            }
            out[oo + i] = sum * scale;
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
        weightedTail(weights, wo, n, scale, rows, ro + d, width, width - d, out, oo + d);
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

    /*
     * max and min are two loops, not one taking the operator: C2 turns a lanewise operation into
     * vector instructions only where the operator is a constant. When C2 compiled a shared loop
     * as a method of its own, not inlined into a caller that passed a constant, it ran the Vector
     * API's fallback: 38-48 µs and 384 KB of garbage per call over 32,000 floats, against 5.2 µs
     * and none (the AMX VM, 2026-12-05).
     */

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

    /** The smallest of a[ao], ..., a[ao + n - 1] (n >= 1). */
    public static float min(float[] a, int ao, int n) {
        int bound = SPECIES.loopBound(n);
        float best = Float.POSITIVE_INFINITY;
        if (bound > 0) {
            FloatVector m = FloatVector.fromArray(SPECIES, a, ao);
            for (int i = SPECIES.length(); i < bound; i += SPECIES.length()) {
                m = m.min(FloatVector.fromArray(SPECIES, a, ao + i));
            }
            best = m.reduceLanes(VectorOperators.MIN);
        }
        for (int i = bound; i < n; i++) {
            best = Math.min(best, a[ao + i]);
        }
        return best;
    }

    /**
     * out[oo + i] = exp(a[ao + i] * scale - shift) for i in [0, n); returns their float sum.
     *
     * <p>Each lane's running sum lives in a small array, not in a vector carried from one
     * iteration to the next: in the bench's compiled code C2 boxed such a vector (and each
     * exponential added to it) once per iteration, so its decode and sampling made several GB
     * of garbage a second, with a young collection every 0.1-0.2 s and a heap grown to 1.5-2
     * GB. With the array, the same decode and sampling ran 11 s with one collection, and the
     * bench's {@code sample_us_per_row} (a row of 32,000 at temperature 1) fell from 80-130 µs
     * to 43-61 in decode-only runs, from 63-67 to 40-43 in full ones (the AMX VM, 2026-12-05).
     * The order of the sum, and so its float value, is unchanged: the sampler's parity with the
     * engine depends on it.
     */
    public static float exp(float[] a, int ao, float scale, float shift, float[] out, int oo,
            int n) {
        int bound = SPECIES.loopBound(n);
        float[] lanes = EXP_LANES.get(0, SPECIES.length()); // the running sum of each lane
        Arrays.fill(lanes, 0, SPECIES.length(), 0f);
        int i = 0;
        for (; i < bound; i += SPECIES.length()) {
            FloatVector e = FloatVector.fromArray(SPECIES, a, ao + i).mul(scale).sub(shift)
                    .lanewise(VectorOperators.EXP);
            e.intoArray(out, oo + i);
            FloatVector.fromArray(SPECIES, lanes, 0).add(e).intoArray(lanes, 0);
        }
        float total = FloatVector.fromArray(SPECIES, lanes, 0).reduceLanes(VectorOperators.ADD);
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

    /**
     * RMSNorm (Zhang and Sennrich 2019) of one row: out = x / sqrt(mean(x^2) + eps) * weight.
     */
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
