package ai.collectiveagency.policy.model;

import ai.collectiveagency.policy.decode.CpuId;
import ai.collectiveagency.policy.engine.EnumProperty;
import ai.collectiveagency.policy.engine.OfflineEngine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;

/**
 * How the engine computes a block's projections y = x·Wᵀ + b in {@link Llama}'s forward pass,
 * and so in its backward: as the engine's matrix product (MKL's sgemm) or as a 1x1 convolution
 * over the tokens (oneDNN). The two are the same sum of products in a different order, so they
 * differ in the last bits.
 *
 * <p>The convolution reads x (M, K) as one image of M x 1 pixels with K channels stored
 * channels-last, which is x's own layout, so nothing is copied; the engine then runs oneDNN's 1x1
 * convolution, whose kernels follow the CPU's vector features, where MKL's follow its vendor. On
 * the Zen 5 VM (AMD EPYC, 2 cores, 2026-12-06) the engine's 2048^3 sgemm ran at 173-221 GFLOP/s
 * (94 on one core, about AVX2's rate) and as a convolution at 393-461. The 40M bench model's
 * projections over 2,048 tokens, forward and backward, took 1.6-1.8x as long as products as they
 * did as convolutions (q/k/v, 512 to 1,024: 35.0 against 19.8 ms; gate/up, 512 to 2,752: 90.4
 * against 50.1; down, 1,376 to 512: 45.1 against 26.5). The image's layout matters: read as M
 * images of one pixel each, the convolution ran at 0.3-0.4x the speed of the one image.
 *
 * <p>Only block projections of passes of at least {@link #MIN_CONVOLUTION_ROWS} tokens take it:
 * below about 256 rows the convolution is the slower (64 rows: 0.6x as fast), and so it is for the
 * 32,000-wide output head (0.5-1.0x). PyTorch hands a 1x1 convolution of one image to oneDNN only
 * with more than one intra-op thread and more than {@link #ONEDNN_MIN_VALUES} input values; else
 * it takes its own path, no faster than the product, so such passes take the product.
 *
 * <p>The default is {@link #CONVOLUTION} on AMD from Zen 5 on, where it was measured, and
 * {@link #MATMUL} elsewhere, where MKL's product is what was measured (on the Intel VM prefill's
 * products reached 86% of that machine's sgemm bound).
 *
 * <p>Usage: {@code NDArray y = ProjectionProducts.configured().project(x, weight, bias);} inside
 * an {@code NDScope}, which closes the views made on the way.
 */
public enum ProjectionProducts {

    /** The engine's matrix product ({@code Linear.linear}). */
    MATMUL,

    /**
     * A 1x1 convolution over the tokens, channels-last, for float32 on the CPU and passes of at
     * least {@link #MIN_CONVOLUTION_ROWS} tokens; the matrix product elsewhere.
     */
    CONVOLUTION;

    /** System property that overrides the default: {@code MATMUL} or {@code CONVOLUTION}. */
    public static final String PROPERTY = "policy.engine.projections";

    /** Tokens (batch x time) a pass needs for a convolution: 512 measured 1.3x as fast. */
    static final int MIN_CONVOLUTION_ROWS = 512;
    /** Input values (M x K) above which PyTorch gives a one-image convolution to oneDNN. */
    static final long ONEDNN_MIN_VALUES = 20_480;

    /** The products named by {@link #PROPERTY}, else this CPU's default. */
    public static ProjectionProducts configured() {
        return EnumProperty.read(PROPERTY, ProjectionProducts.class,
                () -> forCpu(CpuId.vendor(), CpuId.family()), "a way to compute projections");
    }

    /** The default for a CPU of /proc/cpuinfo's {@code vendor_id} and {@code cpu family}. */
    static ProjectionProducts forCpu(String vendor, int family) {
        return CpuId.zen5OrLater(vendor, family) ? CONVOLUTION : MATMUL;
    }

    /** Whether {@link #project} takes a convolution for {@code x}, else the matrix product. */
    boolean convolves(NDArray x) {
        if (this == MATMUL) {
            return false;
        }
        Shape shape = x.getShape();
        long rows = shape.size() / shape.get(shape.dimension() - 1);
        return rows >= MIN_CONVOLUTION_ROWS && shape.size() > ONEDNN_MIN_VALUES
                && x.getDataType() == DataType.FLOAT32 && !x.getDevice().isGpu()
                && OfflineEngine.threads() > 1; // last: a call into the engine
    }

    /**
     * x (..., K) · weight (N, K)ᵀ + bias (N, or null) + each of {@code addends} (..., N; none
     * for a plain projection), in
     * order: a residual, an adapter's term. Each is added in place into the product's own
     * output, which its backward does not read. Added to the result instead, which is a view of
     * that output when convolved, every in-place add would cost autograd a zeroed copy of the
     * whole output in backward (CopySlices): on the Zen 5 VM about 0.1 s of a 1.4 s LoRA step of
     * the bench model, counted by the engine's profiler.
     */
    public NDArray project(NDArray x, NDArray weight, NDArray bias, NDArray... addends) {
        if (convolves(x)) {
            return convolution(x, weight, bias, addends);
        }
        NDArray y = Linear.linear(x, weight, bias).singletonOrThrow();
        for (NDArray addend : addends) {
            y.addi(addend);
        }
        return y;
    }

    /**
     * {@link #project} as a 1x1 convolution, whatever the size (the bench's bound measures it
     * on its own).
     */
    public static NDArray convolution(NDArray x, NDArray weight, NDArray bias,
            NDArray... addends) {
        Shape shape = x.getShape();
        long k = shape.get(shape.dimension() - 1);
        long rows = shape.size() / k;
        long n = weight.getShape().get(0);
        // (1, K, M, 1) with channels-last strides: a view of x, which oneDNN takes as it is
        NDArray image = x.reshape(1, rows, 1, k).transpose(0, 3, 1, 2);
        NDArray filters = weight.reshape(n, k, 1, 1);
        NDArray out = Conv2d.conv2d(image, filters, bias, new Shape(1, 1), new Shape(0, 0),
                new Shape(1, 1), 1).singletonOrThrow(); // (1, N, M, 1), channels-last
        for (NDArray addend : addends) { // (..., N) read as the output is laid out
            out.addi(addend.reshape(1, rows, 1, n).transpose(0, 3, 1, 2));
        }
        return out.transpose(0, 2, 3, 1).reshape(shape.slice(0, shape.dimension() - 1).add(n));
    }
}
