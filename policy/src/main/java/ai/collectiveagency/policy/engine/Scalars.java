package ai.collectiveagency.policy.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Multiplying, dividing or raising by a number inside a pass that autograd records.
 *
 * <p>DJL's {@code NDArray.mul(Number)} (and {@code div}, {@code pow}, {@code maximum},
 * {@code minimum}) wraps the number in a CPU array whose storage is a Java direct buffer, and
 * closes that array as soon as the result is made. Autograd keeps the scalar tensor for the
 * backward pass, but after the close the buffer belongs to no one: once the garbage collector
 * frees it, backward reads freed memory, and gradients come out wrong at random (norms of 1e19
 * or NaN, more often the more the JVM collects). These make the scalar with native storage
 * ({@code torch.full}), which the graph's own reference keeps alive. Adding or subtracting a
 * number is safe: its backward does not read the number.
 *
 * <p>Usage: {@code Scalars.mul(down, scaling)} instead of {@code down.mul(scaling)}.
 */
public final class Scalars {

    private Scalars() {}

    /** A 0-dimensional array holding {@code value} in {@code like}'s manager and type. */
    public static NDArray of(NDArray like, double value) {
        return like.getManager().full(new Shape(), (float) value, like.getDataType());
    }

    /** {@code x * value}. */
    public static NDArray mul(NDArray x, double value) {
        return x.mul(of(x, value));
    }

    /** {@code x / value}. */
    public static NDArray div(NDArray x, double value) {
        return x.div(of(x, value));
    }

    /** {@code x ^ value}. */
    public static NDArray pow(NDArray x, double value) {
        return x.pow(of(x, value));
    }
}
