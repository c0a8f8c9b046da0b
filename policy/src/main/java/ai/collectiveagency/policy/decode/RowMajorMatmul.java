package ai.collectiveagency.policy.decode;

import jdk.incubator.vector.VectorSpecies;

/**
 * Y = X·Wᵀ + b for a few rows X and a weight W in Hugging Face's [out, in] row-major layout: the
 * matrix products of a decode step (see the package doc for why they are hand-written).
 *
 * <pre>
 *   x     (B, K)   row-major, B small (one row per sequence being decoded)
 *   w     (N, K)   row-major, as checkpoints store a projection
 *   bias  (N)      or null
 *   y     (B, N)   y[b][n] = sum_k x[b][k] * w[n][k] + bias[n]
 * </pre>
 *
 * <p>Output columns are split over the threads of a {@link ParallelRange}. Within a part, each
 * block of three weight rows is loaded once per eight input rows on AVX-512 (24 accumulators,
 * 8 x 3 register blocking) or four elsewhere (4 x 3, 12 accumulators), with no branches in the
 * inner loop ({@link MatmulKernels}); leftover input rows and weight rows take narrower kernels,
 * and the last K % lanes products a scalar tail.
 *
 * <p>Usage: {@code new RowMajorMatmul(new ParallelRange(2)).multiply(x, b, k, w, n, null, y);}
 */
public final class RowMajorMatmul {

    static final VectorSpecies<Float> SPECIES = MatmulKernels.SPECIES;
    /** Blocks of eight input rows where the ISA has 32 vector registers (AVX-512). */
    private static final boolean WIDE_ROWS = SPECIES.vectorBitSize() >= 512 && Boolean.getBoolean("x.wide");
    private static final int COLUMNS = 3; // weight rows per block

    private final ParallelRange range;

    public RowMajorMatmul(ParallelRange range) {
        this.range = range;
    }

    public ParallelRange range() {
        return range;
    }

    /** Fills {@code y} (B, N) with x (B, K) · w (N, K)ᵀ + bias (N, or null). */
    public void multiply(float[] x, int batch, int k, float[] w, int n, float[] bias,
            float[] y) {
        if (x.length < batch * k || w.length < (long) n * k || y.length < batch * n
                || (bias != null && bias.length < n)) {
            throw new IllegalArgumentException("arrays too short for (" + batch + ", " + k
                    + ") x (" + n + ", " + k + ")");
        }
        range.run(n, COLUMNS * 4, (start, end) -> columns(x, batch, k, w, n, bias, y, start, end));
    }

    /** Output columns [start, end) of every row. */
    private static void columns(float[] x, int batch, int k, float[] w, int n, float[] bias,
            float[] y, int start, int end) {
        int wide = WIDE_ROWS ? batch - batch % 8 : 0; // rows taken eight at a time
        int quads = batch - (batch - wide) % 4; // then four at a time, then one
        int vectorK = SPECIES.loopBound(k);
        int j = start;
        for (; j + COLUMNS <= end; j += COLUMNS) {
            for (int b = 0; b < wide; b += 8) {
                MatmulKernels.block8x3(x, b * k, k, w, j * k, y, b * n + j, n);
            }
            for (int b = wide; b < quads; b += 4) {
                MatmulKernels.block4x3(x, b * k, k, w, j * k, y, b * n + j, n);
            }
            for (int b = quads; b < batch; b++) {
                MatmulKernels.block1x3(x, b * k, k, w, j * k, y, b * n + j);
            }
        }
        for (; j < end; j++) {
            int b = 0;
            for (; b + 4 <= batch; b += 4) {
                MatmulKernels.block4x1(x, b * k, k, w, j * k, y, b * n + j, n);
            }
            for (; b < batch; b++) {
                y[b * n + j] = MatmulKernels.vectorDot(x, b * k, w, j * k, vectorK);
            }
        }
        int bound = SPECIES.loopBound(k);
        if (bound < k) {
            for (int b = 0; b < batch; b++) {
                for (int c = start; c < end; c++) {
                    y[b * n + c] += MatmulKernels.tail(x, b * k, w, c * k, bound, k);
                }
            }
        }
        if (bias != null) {
            for (int b = 0; b < batch; b++) {
                for (int c = start; c < end; c++) {
                    y[b * n + c] += bias[c];
                }
            }
        }
    }
}
