package ai.collectiveagency.policy.model;

import ai.collectiveagency.policy.decode.PackedMatrix;
import ai.collectiveagency.policy.decode.PanelMatmul;
import ai.collectiveagency.policy.decode.ParallelRange;
import ai.collectiveagency.policy.decode.TransposedProduct;
import ai.collectiveagency.policy.decode.VectorMath;
import ai.collectiveagency.policy.engine.ReproducibleMath;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Causal grouped-query attention of a training pass in Java, forward and backward, for
 * {@link LayerCuts}: the engine never sees the (B, H, T, T) scores.
 *
 * <pre>
 *   queries  (B, T, H, hD)    rotated and scaled by 1/sqrt(hD)
 *   keys     (B, T, KV, hD)   rotated
 *   values   (B, T, KV, hD)
 *   out      (B, T, H·hD)     query t of row b sees key s when s <= t and attention[b][s] != 0
 *
 *   forward    S = Q·Kᵀ,  P = softmax(S) over the keys each query sees (0 elsewhere),  O = P·V
 *   backward   dP = dO·Vᵀ,  Dᵢ = dOᵢ·Oᵢ,  dS = P∘(dP − D),
 *              dQ = dS·K,  dK = dSᵀ·Q,  dV = Pᵀ·dO
 * </pre>
 *
 * <p>Work goes to the threads a unit at a time: one batch row's KV head with its group of g
 * query heads, whose g·T queries form one matrix against the T keys. Each unit's products are
 * panel products ({@link PanelMatmul}) and transposed products ({@link TransposedProduct}) on
 * the thread alone. The forward keeps, per query, its largest visible score and 1/Σexp, from
 * which the backward recomputes P to the bit instead of holding it ((B, H, T, T) floats a
 * layer). Exponentials are {@link ReproducibleMath}'s and every sum runs in a fixed order, so a
 * resumed trainer repeats its steps whatever the split over threads.
 *
 * <p>Queries go in blocks of {@link #QUERY_BLOCK} per head, against the keys up to the block's
 * last query; within a block the keys a query may not see are zeroed in P. A query that sees no
 * key (a padding position) gets zeros and no gradient, where the engine's finite mask gives it
 * the mean of the values: nothing reads either.
 */
final class TrainingAttention {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /**
     * Queries of a head taken together, against the keys up to their last one only: a causal
     * pass of 256 positions then computes 5/8 of the square of scores instead of all of it.
     */
    static final int QUERY_BLOCK = 64;

    private final int heads;
    private final int kvHeads;
    private final int groupSize;
    private final int headDim;
    private final ParallelRange range;
    /**
     * Each thread's workspace, kept for its next unit and pass while the shapes fit: static, so
     * that a model's workspaces do not outlive it on the shared range's threads.
     */
    private static final ThreadLocal<Workspace> WORKSPACES = new ThreadLocal<>();

    TrainingAttention(LlamaConfig config, ParallelRange range) {
        this.heads = config.numHeads();
        this.kvHeads = config.numKvHeads();
        this.groupSize = config.groupSize();
        this.headDim = config.headDim();
        this.range = range;
    }

    /**
     * What the backward needs of a forward: per query (b, t, h), at ((b·T + t)·H + h), its
     * largest visible score and 1/Σexp (0 for a query that sees no key).
     */
    record Saved(float[] rowMax, float[] rowScale) {}

    /** Gradients of the queries (B, T, H, hD), keys and values (B, T, KV, hD). */
    record Gradients(float[] queries, float[] keys, float[] values) {}

    /** The sizes of one pass: B rows of T positions and their key masks. */
    private record Pass(int batch, int time, int[][] attention, int[][] visibleRuns) {}

    /**
     * Fills {@code out} (B, T, H·hD) with the attention of queries q (B, T, H, hD) to keys k and
     * values v (B, T, KV, hD) under {@code attention} (B, T), 1 for a real position; returns
     * what {@link #backward} needs.
     */
    Saved forward(float[] q, float[] k, float[] v, int[][] attention, float[] out) {
        Pass pass = pass(q, k, v, attention);
        Saved saved = new Saved(new float[pass.batch * pass.time * heads],
                new float[pass.batch * pass.time * heads]);
        range.run(pass.batch * kvHeads, 1, (start, end) -> {
            Workspace w = workspace(pass.time);
            for (int unit = start; unit < end; unit++) {
                forward(pass, unit, q, k, v, out, saved, w);
            }
        });
        return saved;
    }

    /**
     * Fills {@code gradients} with those of q, k and v, given the forward's inputs, its output
     * {@code out}, that output's gradient and what the forward saved.
     */
    void backward(float[] q, float[] k, float[] v, float[] out, float[] outGradient,
            Saved saved, int[][] attention, Gradients gradients) {
        Pass pass = pass(q, k, v, attention);
        range.run(pass.batch * kvHeads, 1, (start, end) -> {
            Workspace w = workspace(pass.time);
            for (int unit = start; unit < end; unit++) {
                backward(pass, unit, q, k, v, out, outGradient, saved, gradients, w);
            }
        });
    }

    private Pass pass(float[] q, float[] k, float[] v, int[][] attention) {
        int batch = attention.length;
        int time = attention[0].length;
        if (q.length != batch * time * heads * headDim
                || k.length != batch * time * kvHeads * headDim || v.length != k.length) {
            throw new IllegalArgumentException(q.length + " query, " + k.length + " key and "
                    + v.length + " value floats do not fit " + batch + " x " + time
                    + " positions");
        }
        int[][] runs = new int[batch][];
        for (int b = 0; b < batch; b++) {
            runs[b] = visibleRun(attention[b]);
        }
        return new Pass(batch, time, attention, runs);
    }

    /**
     * The real positions of a row as one run [first, end), or null when they are not one run
     * (then each query's keys are masked one by one).
     */
    private static int[] visibleRun(int[] row) {
        int first = 0;
        while (first < row.length && row[first] == 0) {
            first++;
        }
        int end = first;
        while (end < row.length && row[end] != 0) {
            end++;
        }
        for (int s = end; s < row.length; s++) {
            if (row[s] != 0) {
                return null;
            }
        }
        return new int[] {first, end};
    }

    private void forward(Pass pass, int unit, float[] q, float[] k, float[] v, float[] out,
            Saved saved, Workspace w) {
        int b = unit / kvHeads;
        int kv = unit % kvHeads;
        int time = pass.time;
        gatherUnit(q, k, v, b, kv, time, w);
        for (int first = 0; first < time; first += QUERY_BLOCK) {
            Block block = Block.of(first, Math.min(time, first + QUERY_BLOCK), groupSize);
            scores(pass, b, kv, block, saved, true, w);
            PackedMatrix values = PackedMatrix.packTransposed(
                    FloatBuffer.wrap(w.values, 0, block.keys() * headDim), block.keys(), headDim,
                    w.panels(headDim, block.keys()));
            w.matmul.multiply(w.probabilities, 0, block.rows(), values, w.unitOut,
                    block.firstRow() * headDim);
        }
        scatterQueries(w.unitOut, b, kv, time, out);
    }

    private void backward(Pass pass, int unit, float[] q, float[] k, float[] v, float[] out,
            float[] outGradient, Saved saved, Gradients gradients, Workspace w) {
        int b = unit / kvHeads;
        int kv = unit % kvHeads;
        int time = pass.time;
        gatherUnit(q, k, v, b, kv, time, w);
        gatherQueries(out, b, kv, time, w.unitOut);
        gatherQueries(outGradient, b, kv, time, w.unitOutGradient);
        // the last block first: it sees every key, so it writes all of dK and dV, and the
        // blocks before it add into the keys they see
        int last = (time - 1) / QUERY_BLOCK * QUERY_BLOCK;
        for (int first = last; first >= 0; first -= QUERY_BLOCK) {
            Block block = Block.of(first, Math.min(time, first + QUERY_BLOCK), groupSize);
            scores(pass, b, kv, block, saved, false, w);
            // dP = dO·Vᵀ, then dS = P∘(dP − D) in its place
            PackedMatrix values = PackedMatrix.pack(
                    FloatBuffer.wrap(w.values, 0, block.keys() * headDim), block.keys(), headDim,
                    w.panels(block.keys(), headDim));
            w.matmul.multiply(w.unitOutGradient, block.firstRow() * headDim, block.rows(), values,
                    w.scoreGradients, 0);
            for (int r = 0; r < block.rows(); r++) {
                float d = dot(w.unitOutGradient, w.unitOut, (block.firstRow() + r) * headDim,
                        headDim);
                scoreGradient(w.probabilities, w.scoreGradients, r * block.keys(), block.keys(), d);
            }
            PackedMatrix keyColumns = PackedMatrix.packTransposed(
                    FloatBuffer.wrap(w.keys, 0, block.keys() * headDim), block.keys(), headDim,
                    w.panels(headDim, block.keys()));
            w.matmul.multiply(w.scoreGradients, 0, block.rows(), keyColumns,
                    w.unitQueryGradient, block.firstRow() * headDim);
            // dK, dV of the keys the block sees, summed over the blocks
            System.arraycopy(w.queries, block.firstRow() * headDim, w.blockRows, 0,
                    block.rows() * headDim);
            w.transposed.multiply(w.scoreGradients, w.blockRows, block.rows(), block.keys(),
                    headDim, w.unitKeyGradient, first != last);
            System.arraycopy(w.unitOutGradient, block.firstRow() * headDim, w.blockRows, 0,
                    block.rows() * headDim);
            w.transposed.multiply(w.probabilities, w.blockRows, block.rows(), block.keys(),
                    headDim, w.unitValueGradient, first != last);
        }
        scatterQueries(w.unitQueryGradient, b, kv, time, gradients.queries);
        scatterKeys(w.unitKeyGradient, b, kv, time, gradients.keys);
        scatterKeys(w.unitValueGradient, b, kv, time, gradients.values);
    }

    /**
     * Queries [first, first + rows/g) of every head of a unit: rows [firstRow, firstRow + rows)
     * of its matrices, which see keys [0, keys) at most.
     */
    private record Block(int first, int firstRow, int rows, int keys) {
        static Block of(int first, int end, int groupSize) {
            return new Block(first, first * groupSize, (end - first) * groupSize, end);
        }
    }

    /**
     * The block's S = Q·Kᵀ (rows x keys, row-major in w.scores) and P in w.probabilities; the
     * forward saves each query's max and 1/Σ, the backward uses them.
     */
    private void scores(Pass pass, int b, int kv, Block block, Saved saved, boolean forward,
            Workspace w) {
        PackedMatrix keys = PackedMatrix.pack(FloatBuffer.wrap(w.keys, 0, block.keys() * headDim),
                block.keys(), headDim, w.panels(block.keys(), headDim));
        w.matmul.multiply(w.queries, block.firstRow() * headDim, block.rows(), keys, w.scores, 0);
        int time = pass.time;
        for (int r = 0; r < block.rows(); r++) {
            int t = block.first() + r / groupSize;
            int at = (b * time + t) * heads + kv * groupSize + r % groupSize;
            probabilities(pass, b, t, w.scores, w.probabilities, r * block.keys(), block.keys(),
                    saved, at, forward, w);
        }
    }

    /**
     * The row of P at {@code o} ({@code width} keys) from S's for query t of batch row b:
     * exp(s − max) over the keys it sees, scaled by 1/Σ, zeros elsewhere. The forward computes
     * the query's max and 1/Σ and saves them at {@code at}; the backward reads them, which gives
     * the forward's P to the bit.
     */
    private static void probabilities(Pass pass, int b, int t, float[] s, float[] p, int o,
            int width, Saved saved, int at, boolean forward, Workspace w) {
        int[] run = pass.visibleRuns[b];
        int[] row = pass.attention[b];
        if (run == null) { // keys masked one by one over [0, t]: -inf leaves them out of max
            for (int j = 0; j <= t; j++) {
                if (row[j] == 0) {
                    s[o + j] = Float.NEGATIVE_INFINITY;
                }
            }
        }
        int first = run == null ? 0 : run[0];
        int end = run == null ? t + 1 : Math.min(t + 1, run[1]);
        float max = !forward ? saved.rowMax[at]
                : end > first ? VectorMath.max(s, o + first, end - first)
                : Float.NEGATIVE_INFINITY;
        if (forward ? max == Float.NEGATIVE_INFINITY : saved.rowScale[at] == 0) { // no key
            Arrays.fill(p, o, o + width, 0f);
            if (forward) {
                saved.rowMax[at] = 0;
                saved.rowScale[at] = 0;
            }
            return;
        }
        Arrays.fill(p, o, o + first, 0f);
        Arrays.fill(p, o + end, o + width, 0f);
        float sum = exponentials(s, p, o + first, end - first, max, w);
        if (run == null) { // the exponential clamps: exp(-inf) is about 1e-38, not 0
            for (int j = 0; j < end; j++) {
                if (row[j] == 0) {
                    sum -= p[o + j];
                    p[o + j] = 0;
                }
            }
        }
        float scale = forward ? 1 / sum : saved.rowScale[at];
        int i = o + first;
        for (int bound = i + SPECIES.loopBound(end - first); i < bound; i += LANES) {
            FloatVector.fromArray(SPECIES, p, i).mul(scale).intoArray(p, i);
        }
        for (; i < o + end; i++) {
            p[i] *= scale;
        }
        if (forward) {
            saved.rowMax[at] = max;
            saved.rowScale[at] = scale;
        }
    }

    /**
     * p[o + j] = exp(s[o + j] − max) for j in [0, n); returns their sum, lane by lane and then
     * over the lanes in order. The last partial vector goes through a padded copy.
     */
    private static float exponentials(float[] s, float[] p, int o, int n, float max,
            Workspace w) {
        float[] lanes = w.lanes;
        Arrays.fill(lanes, 0f);
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            FloatVector e = exp(FloatVector.fromArray(SPECIES, s, o + i), max);
            e.intoArray(p, o + i);
            FloatVector.fromArray(SPECIES, lanes, 0).add(e).intoArray(lanes, 0);
        }
        if (i < n) {
            float[] tail = w.tail;
            Arrays.fill(tail, Float.NEGATIVE_INFINITY);
            System.arraycopy(s, o + i, tail, 0, n - i);
            exp(FloatVector.fromArray(SPECIES, tail, 0), max).intoArray(tail, 0);
            System.arraycopy(tail, 0, p, o + i, n - i);
            for (int lane = 0; lane < n - i; lane++) {
                lanes[lane] += tail[lane];
            }
        }
        float sum = 0;
        for (float lane : lanes) {
            sum += lane;
        }
        return sum;
    }

    private static FloatVector exp(FloatVector s, float max) {
        return ReproducibleMath.exp(s.sub(max));
    }

    /** dS = P∘(dP − d) over a row, in dP's place: zero wherever P is. */
    private static void scoreGradient(float[] p, float[] dp, int o, int n, float d) {
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            FloatVector.fromArray(SPECIES, dp, o + i).sub(d)
                    .mul(FloatVector.fromArray(SPECIES, p, o + i)).intoArray(dp, o + i);
        }
        for (; i < n; i++) {
            dp[o + i] = (dp[o + i] - d) * p[o + i];
        }
    }

    /**
     * Σ a[o + i]·b[o + i] over i in [0, n), in order: {@code VectorMath.dot} ends with a lane
     * reduction whose order is the JIT's to choose, and the backward must repeat to the bit.
     */
    private static float dot(float[] a, float[] b, int o, int n) {
        float sum = 0;
        for (int i = 0; i < n; i++) {
            sum = Math.fma(a[o + i], b[o + i], sum);
        }
        return sum;
    }

    /** The unit's queries, keys and values into the workspace. */
    private void gatherUnit(float[] q, float[] k, float[] v, int b, int kv, int time,
            Workspace w) {
        gatherQueries(q, b, kv, time, w.queries);
        gatherKeys(k, b, kv, time, w.keys);
        gatherKeys(v, b, kv, time, w.values);
    }

    /**
     * The unit's queries (or outputs) as (T·g, hD), row t·g + h for query head h of the group:
     * the group's heads are adjacent in a position's row.
     */
    private void gatherQueries(float[] from, int b, int kv, int time, float[] into) {
        int width = groupSize * headDim;
        for (int t = 0; t < time; t++) {
            System.arraycopy(from, ((b * time + t) * heads + kv * groupSize) * headDim, into,
                    t * width, width);
        }
    }

    private void scatterQueries(float[] from, int b, int kv, int time, float[] into) {
        int width = groupSize * headDim;
        for (int t = 0; t < time; t++) {
            System.arraycopy(from, t * width, into,
                    ((b * time + t) * heads + kv * groupSize) * headDim, width);
        }
    }

    /** The unit's keys (or values) as (T, hD). */
    private void gatherKeys(float[] from, int b, int kv, int time, float[] into) {
        for (int t = 0; t < time; t++) {
            System.arraycopy(from, ((b * time + t) * kvHeads + kv) * headDim, into,
                    t * headDim, headDim);
        }
    }

    private void scatterKeys(float[] from, int b, int kv, int time, float[] into) {
        for (int t = 0; t < time; t++) {
            System.arraycopy(from, t * headDim, into, ((b * time + t) * kvHeads + kv) * headDim,
                    headDim);
        }
    }

    /** The thread's workspace for passes of {@code time} positions of this model's heads. */
    private Workspace workspace(int time) {
        Workspace w = WORKSPACES.get();
        if (w == null || w.time != time || w.groupSize != groupSize || w.headDim != headDim) {
            w = new Workspace(time, groupSize, headDim);
            WORKSPACES.set(w);
        }
        return w;
    }

    /** One thread's arrays for one unit at a time, and its own single-threaded products. */
    private static final class Workspace {
        final int time;
        final int groupSize;
        final int headDim;
        final PanelMatmul matmul = new PanelMatmul(new ParallelRange(1));
        final TransposedProduct transposed = new TransposedProduct(new ParallelRange(1));
        final float[] queries;
        final float[] keys;
        final float[] values;
        final float[] unitOut;
        final float[] unitOutGradient;
        final float[] scores;
        final float[] probabilities;
        final float[] scoreGradients;
        final float[] unitQueryGradient;
        final float[] unitKeyGradient;
        final float[] unitValueGradient;
        final float[] blockRows;
        /** Panels by (rows, columns) packed: one array per shape, reused (zero past the end). */
        final Map<Long, float[]> panels = new HashMap<>();
        final float[] lanes = new float[LANES];
        final float[] tail = new float[LANES];

        Workspace(int time, int groupSize, int headDim) {
            this.time = time;
            this.groupSize = groupSize;
            this.headDim = headDim;
            int rows = groupSize * time;
            int blockRows = groupSize * Math.min(time, QUERY_BLOCK);
            queries = new float[rows * headDim];
            keys = new float[time * headDim];
            values = new float[time * headDim];
            unitOut = new float[rows * headDim];
            unitOutGradient = new float[rows * headDim];
            scores = new float[blockRows * time];
            probabilities = new float[blockRows * time];
            scoreGradients = new float[blockRows * time];
            unitQueryGradient = new float[rows * headDim];
            unitKeyGradient = new float[time * headDim];
            unitValueGradient = new float[time * headDim];
            this.blockRows = new float[blockRows * headDim];
        }

        /** The panel array for an (n, k) matrix, all zeros past the matrix. */
        float[] panels(int n, int k) {
            return panels.computeIfAbsent((long) n << 32 | k,
                    key -> new float[PackedMatrix.floats(n, k)]);
        }
    }
}
