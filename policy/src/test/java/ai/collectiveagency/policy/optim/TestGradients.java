package ai.collectiveagency.policy.optim;

import ai.collectiveagency.policy.engine.OfflineEngine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;

/** Puts chosen values into a parameter's gradient, the way training does: by a backward pass. */
final class TestGradients {

    private TestGradients() {}

    /** Adds {@code values} (the parameter's shape, flattened) to the parameter's gradient. */
    static void accumulate(NDArray parameter, float... values) {
        try (NDScope scope = new NDScope();
                GradientCollector collector = OfflineEngine.start().newGradientCollector()) {
            NDArray direction = parameter.getManager().create(values, parameter.getShape());
            // d/dp sum(p * c) = c
            collector.backward(parameter.mul(direction).sum());
        }
    }

    static float[] of(NDArray parameter) {
        try (NDArray gradient = parameter.getGradient()) {
            return gradient.toFloatArray();
        }
    }
}
