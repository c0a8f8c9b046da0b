package ai.collectiveagency.policy.decode;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * C = Aᵀ·B for row-major A (rows, n) and B (rows, m), without transposing A: the weight gradient
 * of a product, such as the output head's, E's gradient = Gᵀ·X for the logits' gradient G (n
 * positions, V) and the final hidden states X (n, D), or attention's keys' and values'
 * gradients in training.
 *
 * <pre>
 *   C (n, m) = or += Aᵀ·B      C[i, j] = Σ_r A[r, i]·B[r, j]
 * </pre>
 *
 * <p>C's rows go to the threads in chunks of {@link #CHUNK}. A chunk copies its strip of A's
 * columns (rows x 128 floats) into an array of its own, sums its rows of C into a Java array,
 * and copies them out in bulk at the end (adding what was there first, when accumulating). A
 * tile of C, 8 rows by 2 vectors, is 16 accumulators: per r it loads 2 vectors of B's row r and
 * broadcasts 8 scalars of the strip's row r, 16 FMAs. Each output is a sum over r in order,
 * computed by the same loop whatever the split over threads, so results repeat to the bit.
 *
 * <p>Measured on the Zen 5 VM (2 cores, 2026-12-07) at a slice of the bench model's head, C
 * 32,000 x 512 over 524 positions, best of 5: 45.5 ms (377 GFLOP/s) against 93-98 ms for the
 * engine's sgemm (about AVX2's rate there), which also took a pass of its own to add each
 * slice's result into the gradient. Tiles of 4 x 4 ran at 258 GFLOP/s, 16 x 1 at 297; tiles of
 * more than 16 accumulators (6 x 4, 10 x 2, 12 x 2) at 100-134; chunks of 64, 96, 256 and 512
 * rows at 309-362. Writing the tiles straight into the engine's memory through vector stores
 * to a ByteBuffer ran at 215.
 */
public final class TransposedProduct {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final int TILE_ROWS = 8;
    private static final int BLOCK = 2 * LANES; // columns of a tile
    /** Rows of C handed to a thread at a time. */
    static final int CHUNK = 128;

    private final ParallelRange range;

    public TransposedProduct(ParallelRange range) {
        this.range = range;
    }

    /**
     * C = Aᵀ·B, or C += Aᵀ·B with {@code accumulate}, into the engine's memory.
     *
     * @param a A (rows, n), row-major: the first rows x n floats
     * @param b B (rows, m), row-major
     * @param c C (n, m) float32 in native order
     */
    public void multiply(float[] a, float[] b, int rows, int n, int m, ByteBuffer c,
            boolean accumulate) {
        if ((long) n * m * Float.BYTES > c.capacity()) {
            throw new IllegalArgumentException("a product of " + n + " x " + m
                    + " floats does not fit " + c.capacity() + " bytes");
        }
        FloatBuffer memory = c.asFloatBuffer();
        run(a, b, rows, n, m, (first, out, size, spare) -> {
            if (accumulate) {
                memory.get(first * m, spare, 0, size);
                VectorMath.add(spare, 0, out, 0, size); // out += what C held
            }
            memory.put(first * m, out, 0, size);
        });
    }

    /**
     * C = Aᵀ·B, or C += Aᵀ·B with {@code accumulate}, into {@code c} (n, m), row-major. Calls
     * from several threads at once need ranges of their own.
     */
    public void multiply(float[] a, float[] b, int rows, int n, int m, float[] c,
            boolean accumulate) {
        if (c.length < n * m) {
            throw new IllegalArgumentException(c.length + " floats cannot hold " + n + " x " + m);
        }
        run(a, b, rows, n, m, (first, out, size, spare) -> {
            if (accumulate) {
                System.arraycopy(c, first * m, spare, 0, size);
                VectorMath.add(spare, 0, out, 0, size); // out += what C held
            }
            System.arraycopy(out, 0, c, first * m, size);
        });
    }

    /**
     * Where a chunk's rows of C go: {@code size} floats of {@code out}, from row {@code first};
     * {@code spare} is the thread's own array of out's size, free to use.
     */
    @FunctionalInterface
    private interface Sink {
        void take(int first, float[] out, int size, float[] spare);
    }

    /** A thread's arrays, kept for its next call: strip, out and spare. */
    private static final ThreadArrays WORKSPACE = new ThreadArrays(3);

    private void run(float[] a, float[] b, int rows, int n, int m, Sink sink) {
        if (a.length < rows * n || b.length < rows * m) {
            throw new IllegalArgumentException("arrays too short for (" + rows + ", " + n
                    + ")ᵀ x (" + rows + ", " + m + ")");
        }
        int chunks = (n + CHUNK - 1) / CHUNK;
        range.run(chunks, 1, (start, end) -> {
            int width = Math.min(n, CHUNK);
            float[] strip = WORKSPACE.get(0, rows * width);
            float[] out = WORKSPACE.get(1, width * m);
            float[] spare = WORKSPACE.get(2, width * m);
            for (int chunk = start; chunk < end; chunk++) {
                int first = chunk * CHUNK;
                int columns = Math.min(n, first + CHUNK) - first;
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(a, r * n + first, strip, r * columns, columns);
                }
                chunk(strip, b, rows, columns, m, out);
                sink.take(first, out, columns * m, spare);
            }
        });
    }

    /** The chunk's rows of C into out (width, D), from G's columns packed as (rows, width). */
    private static void chunk(float[] strip, float[] x, int rows, int width, int hidden,
            float[] out) {
        int tiled = width / TILE_ROWS * TILE_ROWS;
        int blocked = hidden / BLOCK * BLOCK;
        for (int j = 0; j < blocked; j += BLOCK) {
            for (int i = 0; i < tiled; i += TILE_ROWS) {
                tile(strip, x, rows, width, hidden, out, i, j);
            }
            for (int i = tiled; i < width; i++) {
                scalar(strip, x, rows, width, hidden, out, i, j, j + BLOCK);
            }
        }
        for (int i = 0; i < width; i++) {
            scalar(strip, x, rows, width, hidden, out, i, blocked, hidden);
        }
    }

    /** Rows [i, i + 8) of the chunk by columns [j, j + 2 vectors), into out (width, D). */
    private static void tile(float[] g, float[] x, int rows, int width, int hidden,
            float[] out, int i, int j) {
        FloatVector c00 = FloatVector.zero(SPECIES);
        FloatVector c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES);
        FloatVector c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES);
        FloatVector c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES);
        FloatVector c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES);
        FloatVector c41 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES);
        FloatVector c51 = FloatVector.zero(SPECIES);
        FloatVector c60 = FloatVector.zero(SPECIES);
        FloatVector c61 = FloatVector.zero(SPECIES);
        FloatVector c70 = FloatVector.zero(SPECIES);
        FloatVector c71 = FloatVector.zero(SPECIES);
        for (int r = 0; r < rows; r++) {
            int xo = r * hidden + j;
            FloatVector x0 = FloatVector.fromArray(SPECIES, x, xo);
            FloatVector x1 = FloatVector.fromArray(SPECIES, x, xo + LANES);
            int go = r * width + i;
            FloatVector s = FloatVector.broadcast(SPECIES, g[go]);
            c00 = x0.fma(s, c00);
            c01 = x1.fma(s, c01);
            s = FloatVector.broadcast(SPECIES, g[go + 1]);
            c10 = x0.fma(s, c10);
            c11 = x1.fma(s, c11);
            s = FloatVector.broadcast(SPECIES, g[go + 2]);
            c20 = x0.fma(s, c20);
            c21 = x1.fma(s, c21);
            s = FloatVector.broadcast(SPECIES, g[go + 3]);
            c30 = x0.fma(s, c30);
            c31 = x1.fma(s, c31);
            s = FloatVector.broadcast(SPECIES, g[go + 4]);
            c40 = x0.fma(s, c40);
            c41 = x1.fma(s, c41);
            s = FloatVector.broadcast(SPECIES, g[go + 5]);
            c50 = x0.fma(s, c50);
            c51 = x1.fma(s, c51);
            s = FloatVector.broadcast(SPECIES, g[go + 6]);
            c60 = x0.fma(s, c60);
            c61 = x1.fma(s, c61);
            s = FloatVector.broadcast(SPECIES, g[go + 7]);
            c70 = x0.fma(s, c70);
            c71 = x1.fma(s, c71);
        }
        int o = i * hidden + j;
        c00.intoArray(out, o);
        c01.intoArray(out, o + LANES);
        o += hidden;
        c10.intoArray(out, o);
        c11.intoArray(out, o + LANES);
        o += hidden;
        c20.intoArray(out, o);
        c21.intoArray(out, o + LANES);
        o += hidden;
        c30.intoArray(out, o);
        c31.intoArray(out, o + LANES);
        o += hidden;
        c40.intoArray(out, o);
        c41.intoArray(out, o + LANES);
        o += hidden;
        c50.intoArray(out, o);
        c51.intoArray(out, o + LANES);
        o += hidden;
        c60.intoArray(out, o);
        c61.intoArray(out, o + LANES);
        o += hidden;
        c70.intoArray(out, o);
        c71.intoArray(out, o + LANES);
    }

    /** Row i of the chunk, columns [from, to): a tile's leftovers, one FMA at a time in order. */
    private static void scalar(float[] g, float[] x, int rows, int width, int hidden,
            float[] out, int i, int from, int to) {
        for (int j = from; j < to; j++) {
            float sum = 0;
            for (int r = 0; r < rows; r++) {
                sum = Math.fma(g[r * width + i], x[r * hidden + j], sum);
            }
            out[i * hidden + j] = sum;
        }
    }
}
