package ai.collectiveagency.policy.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("maxNorm must be > 0, got " + maxNorm);
        }
        try (NDScope scope = new NDScope()) {
            List<NDArray> gradients = new ArrayList<>();
            double squares = 0;
            for (NDArray parameter : parameters.values()) {
                NDArray gradient = parameter.getGradient();
                gradients.add(gradient);
                squares += gradient.toType(DataType.FLOAT64, false).square().sum().getDouble();
            }
            double norm = Math.sqrt(squares);
            double scale = maxNorm / (norm + NORM_EPSILON);
            if (Double.isFinite(norm) && scale < 1) {
                // The wrappers share storage with the parameters' gradients: this scales those.
                gradients.forEach(gradient -> gradient.muli(scale));
            }
            return norm;
        }
    }
}
