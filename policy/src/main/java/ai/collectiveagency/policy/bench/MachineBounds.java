package ai.collectiveagency.policy.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;

/**
 * This machine's limits measured through the same engine the model uses: fp32 matmul throughput
 * and memory bandwidth. Figures elsewhere are reported as shares of these.
 *
 * @param matmulGflops best of a few {@code n x n x n} fp32 matmuls
 * @param memoryGbPerSecond best bytes read + written per second by an element-wise op over an
 *     array far larger than the caches
 */
public record MachineBounds(double matmulGflops, double memoryGbPerSecond) {

    /** Measures both bounds; takes a few seconds. */
    public static MachineBounds measure(NDManager manager, int matmulSize) {
        return new MachineBounds(matmul(manager, matmulSize), bandwidth(manager));
    }

    /** The better of each bound: both are hardware limits, so the higher reading is truer. */
    public MachineBounds max(MachineBounds other) {
        return new MachineBounds(Math.max(matmulGflops, other.matmulGflops),
                Math.max(memoryGbPerSecond, other.memoryGbPerSecond));
    }

    private static double matmul(NDManager manager, int n) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray a = manager.randomNormal(new Shape(n, n));
            NDArray b = manager.randomNormal(new Shape(n, n));
            double best = Double.MAX_VALUE;
            for (int i = 0; i < 6; i++) {
                long start = System.nanoTime();
                a.matMul(b).close();
                best = Math.min(best, (System.nanoTime() - start) / 1e9);
            }
            return 2.0 * n * n * n / best / 1e9;
        }
    }

    private static double bandwidth(NDManager manager) {
        long elements = 64L << 20; // 256 MB of float32
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray a = manager.ones(new Shape(elements));
            double best = Double.MAX_VALUE;
            for (int i = 0; i < 8; i++) {
                long start = System.nanoTime();
                a.muli(1.0001f); // reads and writes every element once
                best = Math.min(best, (System.nanoTime() - start) / 1e9);
            }
            return 2.0 * 4 * elements / best / 1e9;
        }
    }
}
