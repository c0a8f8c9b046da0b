package ai.collectiveagency.policy.bench;

import ai.collectiveagency.policy.model.ProjectionProducts;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;

/**
 * This machine's limits measured through the same engine the model uses: fp32 matrix products'
 * throughput and memory bandwidth, read + write and read only. Figures elsewhere are reported as
 * shares of these.
 *
 * <p>The FLOP bound is the faster of the engine's two ways to multiply matrices, its matrix
 * product (MKL's sgemm) and a 1x1 convolution (oneDNN, {@link ProjectionProducts}): the model
 * takes the convolution where it is faster, and a bound below a rate the engine reaches is no
 * bound. On the Zen 5 VM the sgemm ran at about AVX2's rate (173-221 GFLOP/s on 2 cores), and
 * the 40M model's training steps with convolutions did 0.81-1.17 of its FLOPs a second, its
 * prefill 1.42-1.49; the convolution reached 393-461.
 *
 * <p>Both bandwidths are kept because they differ by up to 2x on the machines this was measured
 * on (2-core AMD EPYC VMs: 50-78 GB/s counted as read + write by an in-place multiply, 26-38 GB/s
 * by a sum over the same array, through the same engine and threads). A decode step only reads:
 * its weights and KV cache are a read stream, so its bound is the read bandwidth; crediting it
 * with the write channel's bytes as well would ask for a speed no read stream reaches here. The
 * decode figures measure their own read bound, a Java stream's, around each run
 * ({@link ReadBandwidth}), and the read figure here is raised to the best of those
 * ({@link #withReadAtLeast}).
 *
 * @param sgemmGflops best of a few {@code n x n x n} fp32 matrix products
 * @param convolutionGflops best of as many {@code n x n x n} products as 1x1 convolutions
 * @param memoryGbPerSecond best bytes read + written per second by an element-wise in-place op
 *     over an array far larger than the caches
 * @param readGbPerSecond best bytes read per second by a sum over an array as large
 */
public record MachineBounds(double sgemmGflops, double convolutionGflops,
        double memoryGbPerSecond, double readGbPerSecond) {

    private static final long BANDWIDTH_ELEMENTS = 64L << 20; // 256 MB of float32
    static final int PASSES = 8;

    /** Measures the bounds; takes a few seconds. */
    public static MachineBounds measure(NDManager manager, int matmulSize) {
        int n = matmulSize;
        double sgemm;
        double convolution;
        try (NDScope products = new NDScope()) { // both ways on the same matrices
            products.suppressNotUsedWarning();
            NDArray a = manager.randomNormal(new Shape(n, n));
            NDArray b = manager.randomNormal(new Shape(n, n));
            sgemm = gflops(n, () -> a.matMul(b).close());
            convolution = gflops(n, () -> convolve(a, b));
        }
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray big = manager.ones(new Shape(BANDWIDTH_ELEMENTS));
            return new MachineBounds(sgemm, convolution, readWrite(big), read(big));
        }
    }

    /** The FLOP bound: the faster of the engine's two ways to multiply matrices. */
    public double matmulGflops() {
        return Math.max(sgemmGflops, convolutionGflops);
    }

    /** The better of each bound: all are hardware limits, so the higher reading is truer. */
    public MachineBounds max(MachineBounds other) {
        return new MachineBounds(Math.max(sgemmGflops, other.sgemmGflops),
                Math.max(convolutionGflops, other.convolutionGflops),
                Math.max(memoryGbPerSecond, other.memoryGbPerSecond),
                Math.max(readGbPerSecond, other.readGbPerSecond));
    }

    /** These bounds with the read bandwidth {@code gbPerSecond}, where that is higher. */
    public MachineBounds withReadAtLeast(double gbPerSecond) {
        return withRead(Math.max(readGbPerSecond, gbPerSecond));
    }

    /** These bounds with the read bandwidth {@code gbPerSecond}, higher or lower. */
    MachineBounds withRead(double gbPerSecond) {
        return new MachineBounds(sgemmGflops, convolutionGflops, memoryGbPerSecond,
                gbPerSecond);
    }

    /** GFLOP/s of the best pass of an n x n x n {@code product}. */
    private static double gflops(int n, Runnable product) {
        return 2.0 * n * n * n / bestSeconds(product) / 1e9;
    }

    /** a · bᵀ as the model's projections take a 1x1 convolution, freeing what it makes. */
    private static void convolve(NDArray a, NDArray b) {
        try (NDScope pass = new NDScope()) { // the views it makes, as well as the result
            pass.suppressNotUsedWarning();
            ProjectionProducts.convolution(a, b, null);
        }
    }

    /** Reads and writes every element once. */
    private static double readWrite(NDArray big) {
        return 2.0 * 4 * BANDWIDTH_ELEMENTS / bestSeconds(() -> big.muli(1.0001f)) / 1e9;
    }

    /** Reads every element once. */
    private static double read(NDArray big) {
        return 4.0 * BANDWIDTH_ELEMENTS / bestSeconds(() -> big.sum().close()) / 1e9;
    }

    /** The shortest of {@value #PASSES} passes: interference only slows a pass down. */
    static double bestSeconds(Runnable pass) {
        return bestSeconds(pass, 0);
    }

    /**
     * The shortest of at least {@value #PASSES} passes, run for at least {@code nanos} in all
     * (longer than a disturbance that lasts, where one would slow every pass).
     */
    static double bestSeconds(Runnable pass, long nanos) {
        double best = Double.MAX_VALUE;
        long first = System.nanoTime();
        for (int i = 0; i < PASSES || System.nanoTime() - first < nanos; i++) {
            long start = System.nanoTime();
            pass.run();
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        return best;
    }
}
