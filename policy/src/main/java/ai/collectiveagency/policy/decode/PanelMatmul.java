package ai.collectiveagency.policy.decode;

/**
 * Y = X·Wᵀ + b for a few rows X: the matrix products of a decode step (see the package doc for
 * why they are hand-written).
 *
 * <pre>
 *   x     (B, K)   row-major, B small (one row per sequence being decoded)
 *   w     (N, K)   a {@link PackedMatrix} (Hugging Face [out, in] weights, repacked once)
 *   bias  (N)      or null
 *   y     (B, N)   y[b][n] = sum_k x[b][k] * w[n][k] + bias[n]
 * </pre>
 *
 * <p>Panels of W are split over the threads of a {@link ParallelRange}; each panel is read once
 * per block of four input rows ({@link PanelKernels}), so at batch 16 a weight is read from
 * memory once and from cache three times, and at batch 1 the weights stream at memory speed.
 *
 * <p>Usage: {@code new PanelMatmul(ParallelRange.shared()).multiply(x, b, w, null, y);}
 */
public final class PanelMatmul {

    private static final int ROWS = 4; // input rows per block
    private static final int WIDTH = PackedMatrix.WIDTH;

    private final ParallelRange range;

    public PanelMatmul(ParallelRange range) {
        this.range = range;
    }

    public ParallelRange range() {
        return range;
    }

    /** Fills {@code y} (B, N) with x (B, K) · w (N, K)ᵀ + bias (N, or null). */
    public void multiply(float[] x, int batch, PackedMatrix w, float[] bias, float[] y) {
        int k = w.columns();
        int n = w.rows();
        if (x.length < batch * k || y.length < batch * n || (bias != null && bias.length < n)) {
            throw new IllegalArgumentException("arrays too short for (" + batch + ", " + k
                    + ") x (" + n + ", " + k + ")");
        }
        range.run(w.panels(), 1, (start, end) -> {
            for (int p = start; p < end; p++) {
                panel(x, batch, w, p, y);
            }
            if (bias != null) {
                addBias(bias, batch, n, start * WIDTH, Math.min(n, end * WIDTH), y);
            }
        });
    }

    /** Output columns [p·P, p·P + P) of every row; a partial last panel goes via a buffer. */
    private static void panel(float[] x, int batch, PackedMatrix w, int p, float[] y) {
        int k = w.columns();
        int n = w.rows();
        int first = p * WIDTH;
        int po = p * k * WIDTH;
        boolean whole = first + WIDTH <= n;
        float[] out = whole ? y : new float[ROWS * WIDTH];
        int b = 0;
        for (; b + ROWS <= batch; b += ROWS) {
            if (whole) {
                PanelKernels.rows4(x, b * k, k, w.data(), po, y, b * n + first, n);
            } else {
                PanelKernels.rows4(x, b * k, k, w.data(), po, out, 0, WIDTH);
                copyColumns(out, ROWS, y, b, n, first);
            }
        }
        for (; b < batch; b++) {
            if (whole) {
                PanelKernels.rows1(x, b * k, k, w.data(), po, y, b * n + first, n);
            } else {
                PanelKernels.rows1(x, b * k, k, w.data(), po, out, 0, WIDTH);
                copyColumns(out, 1, y, b, n, first);
            }
        }
    }

    private static void copyColumns(float[] out, int rows, float[] y, int b, int n, int first) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(out, r * WIDTH, y, (b + r) * n + first, n - first);
        }
    }

    private static void addBias(float[] bias, int batch, int n, int from, int to, float[] y) {
        for (int b = 0; b < batch; b++) {
            for (int c = from; c < to; c++) {
                y[b * n + c] += bias[c];
            }
        }
    }
}
