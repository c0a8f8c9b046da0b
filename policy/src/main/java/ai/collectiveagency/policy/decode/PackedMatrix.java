package ai.collectiveagency.policy.decode;

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
        if (w.length != (long) n * k) {
            throw new IllegalArgumentException(w.length + " floats is not (" + n + ", " + k + ")");
        }
        float[] data = new float[panels(n) * WIDTH * k];
        for (int j = 0; j < n; j++) {
            int base = j / WIDTH * k * WIDTH + j % WIDTH;
            for (int i = 0; i < k; i++) {
                data[base + i * WIDTH] = w[j * k + i];
            }
        }
        return new PackedMatrix(data, n, k);
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
