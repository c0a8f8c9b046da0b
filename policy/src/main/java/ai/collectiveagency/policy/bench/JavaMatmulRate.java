package ai.collectiveagency.policy.bench;

import ai.collectiveagency.policy.decode.PackedMatrix;
import ai.collectiveagency.policy.decode.PanelMatmul;
import ai.collectiveagency.policy.decode.ParallelRange;
import java.util.SplittableRandom;

/**
 * The FLOP rate of the Java decoder's matrix products ({@link PanelMatmul}, this machine's
 * tiling and kernels) on every decode thread, with the weights in cache: {@value #ROWS} input
 * rows against {@value #PANELS_PER_THREAD} panels of {@value #DEPTH} weights per thread, so each
 * panel is read from L2 once per block of rows and nothing waits on memory.
 *
 * <p>It is printed beside the engine's figures ({@code sgemm_gflops}, {@code convolution_gflops}
 * and the FLOP bound, the faster of the two), not used as a bound: prefill and training run in
 * the engine. It shows how far the engine's products are from this CPU's vector units: on the
 * Zen 5 VM (2026-12-06) these products reached 456-490 GFLOP/s on both cores, the engine's
 * sgemm 173-221 and its convolution 393-461.
 *
 * <p>Usage: {@code double gflops = JavaMatmulRate.measure(ParallelRange.shared());}
 */
final class JavaMatmulRate {

    static final int ROWS = 128;
    static final int DEPTH = 512;
    static final int PANELS_PER_THREAD = 4;
    /** Products per timed pass: about 4 ms at 490 GFLOP/s on 2 threads. */
    private static final int CALLS_PER_PASS = 40;
    /** Untimed passes for this long first, so that the kernels are compiled. */
    private static final long WARM_UP_NANOS = 200_000_000;
    /**
     * Passes are timed for at least this long, longer than {@link ParallelRange} runs calls on
     * one thread after its workers stalled (as the JIT compiler's threads can make them): in
     * one run timed for 8 passes only, the figure was one core's.
     */
    private static final long TIMED_NANOS = 400_000_000;

    private JavaMatmulRate() {}

    /** GFLOP/s of the best pass, after the warm-up. */
    static double measure(ParallelRange range) {
        int columns = PANELS_PER_THREAD * range.threads() * PackedMatrix.WIDTH;
        SplittableRandom random = new SplittableRandom(11);
        PackedMatrix weights = PackedMatrix.pack(values(random, columns * DEPTH), columns, DEPTH);
        float[] x = values(random, ROWS * DEPTH);
        float[] y = new float[ROWS * columns];
        PanelMatmul matmul = new PanelMatmul(range);
        Runnable pass = () -> {
            for (int call = 0; call < CALLS_PER_PASS; call++) {
                matmul.multiply(x, ROWS, weights, null, y);
            }
        };
        for (long start = System.nanoTime(); System.nanoTime() - start < WARM_UP_NANOS; ) {
            pass.run();
        }
        double flops = 2.0 * ROWS * DEPTH * columns * CALLS_PER_PASS;
        return flops / MachineBounds.bestSeconds(pass, TIMED_NANOS) / 1e9;
    }

    private static float[] values(SplittableRandom random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextDouble(-1, 1);
        }
        return values;
    }
}
