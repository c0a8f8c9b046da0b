package ai.collectiveagency.policy.decode;

import java.nio.FloatBuffer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A weight matrix W (N, K) in Hugging Face's [out, in] layout, repacked into column panels for
 * {@link PanelMatmul}: panel p holds output rows [p·P, p·P + P) as K consecutive runs of P floats,
 * {@code data[(p·K + k)·P + c] = W[p·P + c][k]}, zero past N. P is three vectors wide (48 floats
 * with AVX-512, 24 with AVX2), so one k step of a panel is three aligned vector loads and the
 * whole matrix streams from memory in one sequential pass.
 *
 * @param data the panels, ceil(N / P) · K · P floats
 * @param rows N, the output size
 * @param columns K, the input size
 */
public record PackedMatrix(float[] data, int rows, int columns) {

    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** Vectors per panel. */
    static final int VECTORS = 3;
    /** Floats per panel row: P. */
    public static final int WIDTH = VECTORS * SPECIES.length();

    public PackedMatrix {
        if ((long) panels(rows) * WIDTH * columns != data.length) {
            throw new IllegalArgumentException("packed data of " + data.length
                    + " floats does not fit (" + rows + ", " + columns + ")");
        }
    }

    /** Packs {@code w} (n, k) row-major. */
    public static PackedMatrix pack(float[] w, int n, int k) {
        return pack(FloatBuffer.wrap(w), n, k, new float[floats(n, k)]);
    }

    /**
     * Packs {@code w} (n, k) row-major, read from a buffer (an engine array's memory, say), into
     * {@code data}, which must hold {@link #floats(int, int) floats(n, k)}: a matrix repacked
     * every pass reuses its panels. Entries past the matrix are left as they are, so they must
     * be zero: a new array's are, and a reused one's stay so.
     */
    public static PackedMatrix pack(FloatBuffer w, int n, int k, float[] data) {
        requireSizes(w, n, k, data, floats(n, k));
        float[] row = new float[k];
        for (int j = 0; j < n; j++) {
            w.get(j * k, row, 0, k);
            int base = j / WIDTH * k * WIDTH + j % WIDTH;
            for (int i = 0; i < k; i++) {
                data[base + i * WIDTH] = row[i];
            }
        }
        return new PackedMatrix(data, n, k);
    }

    /**
     * Packs the transpose of {@code w} (n, k) row-major: a (k, n) matrix. Each panel row is a run
     * of w's own row, so this is a copy of contiguous runs, never a transpose in memory.
     */
    public static PackedMatrix packTransposed(float[] w, int n, int k) {
        return packTransposed(FloatBuffer.wrap(w), n, k, new float[floats(k, n)]);
    }

    /**
     * As {@link #packTransposed(float[], int, int)}, from a buffer into {@code data}, which must
     * hold {@link #floats(int, int) floats(k, n)}.
     */
    public static PackedMatrix packTransposed(FloatBuffer w, int n, int k, float[] data) {
        requireSizes(w, n, k, data, floats(k, n));
        int panels = panels(k);
        for (int p = 0; p < panels; p++) {
            int first = p * WIDTH;
            int width = Math.min(WIDTH, k - first);
            for (int i = 0; i < n; i++) {
                w.get(i * k + first, data, (p * n + i) * WIDTH, width);
            }
        }
        return new PackedMatrix(data, k, n);
    }

    /** Floats the panels of an (n, k) matrix take. */
    public static int floats(int n, int k) {
        return Math.toIntExact((long) panels(n) * WIDTH * k);
    }

    private static void requireSizes(FloatBuffer w, int n, int k, float[] data, int floats) {
        if (w.limit() != (long) n * k) {
            throw new IllegalArgumentException(w.limit() + " floats is not (" + n + ", " + k
                    + ")");
        }
        if (data.length != floats) {
            throw new IllegalArgumentException(data.length + " floats cannot hold the panels of ("
                    + n + ", " + k + "): " + floats);
        }
    }

    /** Number of panels. */
    public int panels() {
        return panels(rows);
    }

    private static int panels(int rows) {
        return (rows + WIDTH - 1) / WIDTH;
    }

    /** Copies row {@code j} of W (K floats) into {@code out} at {@code offset}. */
    public void row(int j, float[] out, int offset) {
        int base = j / WIDTH * columns * WIDTH + j % WIDTH;
        for (int i = 0; i < columns; i++) {
            out[offset + i] = data[base + i * WIDTH];
        }
    }
}
