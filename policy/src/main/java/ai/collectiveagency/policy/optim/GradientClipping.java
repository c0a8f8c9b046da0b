package ai.collectiveagency.policy.optim;

import ai.collectiveagency.policy.decode.ParallelRange;
import ai.collectiveagency.policy.engine.NativeFloats;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;

/**
 * Global-norm gradient clipping, as {@code torch.nn.utils.clip_grad_norm_}: when the L2 norm of
 * all gradients together exceeds {@code maxNorm}, every gradient is scaled by
 * {@code maxNorm / (norm + 1e-6)}, which keeps their direction.
 */
public final class GradientClipping {

    /** Keeps the scale finite when the norm is 0, as PyTorch does. */
    private static final double NORM_EPSILON = 1e-6;

    private GradientClipping() {}

    /**
     * Scales the gradients of {@code parameters} in place so that their global norm is at most
     * {@code maxNorm}.
     *
     * @param parameters named parameters (any shapes) that require a gradient
     * @param maxNorm the largest global L2 norm to allow, > 0
     * @return the global norm before clipping, summed in double precision; when it is not finite
     *     (an overflow or NaN in the backward pass) the gradients are left untouched, and the
     *     caller should skip this optimiser step and zero the gradients
     */
    public static double clipByGlobalNorm(Map<String, NDArray> parameters, double maxNorm) {
        double norm = globalNorm(parameters);
        double scale = scaleFor(norm, maxNorm);
        if (scale < 1) {
            try (NDScope scope = new NDScope()) {
                for (NDArray parameter : parameters.values()) {
                    // the wrapper shares storage with the parameter's gradient: this scales it
                    parameter.getGradient().muli(scale);
                }
            }
        }
        return norm;
    }

    /**
     * The L2 norm of all gradients of {@code parameters} together, summed in double precision;
     * not finite after an overflow or NaN in the backward pass.
     */
    public static double globalNorm(Map<String, NDArray> parameters) {
        try (NDScope scope = new NDScope()) {
            double squares = 0;
            for (NDArray parameter : parameters.values()) {
                squares += sumOfSquares(parameter.getGradient());
            }
            return Math.sqrt(squares);
        }
    }

    /**
     * What clipping to {@code maxNorm} multiplies gradients of global norm {@code norm} by:
     * {@code maxNorm / (norm + 1e-6)}, or 1 where that is not below 1 (or norm is not finite).
     * {@link AdamW#step(double)} takes it, so that clipping costs no pass of its own.
     */
    public static double scaleFor(double norm, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("maxNorm must be > 0, got " + maxNorm);
        }
        double scale = maxNorm / (norm + NORM_EPSILON);
        return Double.isFinite(norm) && scale < 1 ? scale : 1;
    }

    /**
     * In Java over the gradient's memory, one read, where Java can view it: the engine's
     * float64 copy, square and sum made two full-size temporaries a parameter (120-230 ms a
     * step for the ~40M bench model on a 2-core VM, against 12-25 ms). Blocks of
     * {@link VectorPass#GRAIN} elements are summed apart and then in order, so the result does
     * not depend on how the threads split them.
     */
    private static double sumOfSquares(NDArray gradient) {
        Optional<ByteBuffer> view = NativeFloats.view(gradient);
        if (view.isEmpty()) { // on a GPU, non-contiguous, over 2 GiB or not float32
            return gradient.toType(DataType.FLOAT64, false).square().sum().getDouble();
        }
        ByteBuffer values = view.get();
        int size = Math.toIntExact(gradient.size());
        int grain = VectorPass.GRAIN;
        double[] blocks = new double[(size + grain - 1) / grain];
        ParallelRange.shared().run(size, grain, (start, end) -> {
            for (int from = start; from < end; from += grain) {
                blocks[from / grain] = SquaredNorm.sum(values, from, Math.min(end, from + grain));
            }
        });
        double sum = 0;
        for (double block : blocks) {
            sum += block;
        }
        return sum;
    }
}
