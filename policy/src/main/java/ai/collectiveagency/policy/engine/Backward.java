package ai.collectiveagency.policy.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Back-propagation from an array of any shape with a gradient the caller computed: DJL's
 * {@code GradientCollector.backward} only starts from a scalar (with gradient 1), and reaching
 * a (rows, vocab) output through it would take a product and a sum over the whole array.
 */
public final class Backward {

    private Backward() {}

    /**
     * Adds to every leaf's gradient what {@code gradient}, as the gradient of {@code output},
     * contributes; frees the graph behind {@code output}. Call inside an open gradient collector.
     *
     * @param gradient the same shape as {@code output}, never differentiated itself
     */
    public static void from(NDArray output, NDArray gradient) {
        if (!output.getShape().equals(gradient.getShape())) {
            throw new IllegalArgumentException("gradient " + gradient.getShape()
                    + " does not match output " + output.getShape());
        }
        if (!(output instanceof PtNDArray out) || !(gradient instanceof PtNDArray grad)) {
            throw new IllegalArgumentException("not PyTorch engine arrays: "
                    + output.getClass() + ", " + gradient.getClass());
        }
        JniUtils.backward(out, grad, false, false);
    }
}
