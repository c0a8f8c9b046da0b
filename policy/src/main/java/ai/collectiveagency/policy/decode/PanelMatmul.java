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
 * per block of input rows ({@link PanelTiling}: 8 with AVX-512, 4 with AVX2), so at batch 16 a
 * weight is read from memory once and from cache once (AVX-512) or three times (AVX2), and at
 * batch 1 the weights stream at memory speed. Within a panel the kernels read k as one stream
 * or two, whichever this CPU reads faster ({@link PanelStreams}).
 *
 * <p>Usage: {@code new PanelMatmul(ParallelRange.shared()).multiply(x, b, w, null, y);}
 */
public final class PanelMatmul {

    private static final int WIDTH = PackedMatrix.WIDTH;
    /** Each thread's buffer for a partial last panel's outputs. */
    private static final ThreadArrays PARTIAL = new ThreadArrays(1);

    private final ParallelRange range;
    private final PanelTiling tiling;
    private final PanelStreams streams;

    /**
     * A matmul with this machine's {@link PanelTiling#preferred() tiling} and
     * {@link PanelStreams#preferred() kernels}.
     */
    public PanelMatmul(ParallelRange range) {
        this(range, PanelTiling.preferred());
    }

    /** A matmul with this machine's {@link PanelStreams#preferred() kernels}. */
    public PanelMatmul(ParallelRange range, PanelTiling tiling) {
        this(range, tiling, PanelStreams.preferred());
    }

    /** A matmul with the given tiling and kernels (tests, and benches comparing them). */
    public PanelMatmul(ParallelRange range, PanelTiling tiling, PanelStreams streams) {
        this.range = range;
        this.tiling = tiling;
        this.streams = streams;
    }

    public PanelTiling tiling() {
        return tiling;
    }

    public PanelStreams streams() {
        return streams;
    }

    public ParallelRange range() {
        return range;
    }

    /** Fills {@code y} (B, N) with x (B, K) · w (N, K)ᵀ + bias (N, or null). */
    public void multiply(float[] x, int batch, PackedMatrix w, float[] bias, float[] y) {
        multiply(x, 0, batch, w, bias, y, 0);
    }

    /**
     * Fills B rows of {@code y} from {@code yOffset} (B, N) with the B rows of x from
     * {@code xOffset} (B, K) · w (N, K)ᵀ: a block of rows of larger matrices.
     */
    public void multiply(float[] x, int xOffset, int batch, PackedMatrix w, float[] y,
            int yOffset) {
        multiply(x, xOffset, batch, w, null, y, yOffset);
    }

    private void multiply(float[] x, int xOffset, int batch, PackedMatrix w, float[] bias,
            float[] y, int yOffset) {
        int k = w.columns();
        int n = w.rows();
        if (x.length < xOffset + batch * k || y.length < yOffset + batch * n
                || (bias != null && bias.length < n)) {
            throw new IllegalArgumentException("arrays too short for (" + batch + ", " + k
                    + ") x (" + n + ", " + k + ")");
        }
        range.run(w.panels(), 1, (start, end) -> {
            for (int p = start; p < end; p++) {
                panel(x, xOffset, batch, w, p, y, yOffset);
            }
            if (bias != null) {
                addBias(bias, batch, n, start * WIDTH, Math.min(n, end * WIDTH), y);
            }
        });
    }

    /** Output columns [p·P, p·P + P) of every row; a partial last panel goes via a buffer. */
    private void panel(float[] x, int xOffset, int batch, PackedMatrix w, int p, float[] y,
            int yOffset) {
        int k = w.columns();
        int n = w.rows();
        int first = p * WIDTH;
        int po = p * k * WIDTH;
        boolean whole = first + WIDTH <= n;
        float[] out = whole ? y : PARTIAL.get(0, tiling.rows() * WIDTH);
        for (int b = 0; b < batch; ) {
            int rows = tiling.block(batch - b);
            if (whole) {
                kernel(streams, rows, x, xOffset + b * k, k, w.data(), po, y,
                        yOffset + b * n + first, n);
            } else {
                kernel(streams, rows, x, xOffset + b * k, k, w.data(), po, out, 0, WIDTH);
                copyColumns(out, rows, y, yOffset + b * n, n, first);
            }
            b += rows;
        }
    }

    private static void kernel(PanelStreams streams, int rows, float[] x, int xo, int k,
            float[] p, int po, float[] y, int yo, int stride) {
        if (streams == PanelStreams.ONE) {
            switch (rows) {
                case 8 -> OneStreamKernels.rows8(x, xo, k, p, po, y, yo, stride);
                case 4 -> OneStreamKernels.rows4(x, xo, k, p, po, y, yo, stride);
                case 2 -> OneStreamKernels.rows2(x, xo, k, p, po, y, yo, stride);
                default -> OneStreamKernels.rows1(x, xo, k, p, po, y, yo, stride);
            }
            return;
        }
        switch (rows) {
            case 8 -> PanelKernels.rows8(x, xo, k, p, po, y, yo, stride);
            case 4 -> PanelKernels.rows4(x, xo, k, p, po, y, yo, stride);
            case 2 -> PanelKernels.rows2(x, xo, k, p, po, y, yo, stride);
            default -> PanelKernels.rows1(x, xo, k, p, po, y, yo, stride);
        }
    }

    /** The first n - first columns of rows of out into y's rows from offset yo (stride n). */
    private static void copyColumns(float[] out, int rows, float[] y, int yo, int n,
            int first) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(out, r * WIDTH, y, yo + r * n + first, n - first);
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
