package ai.collectiveagency.policy.training;

import ai.collectiveagency.policy.engine.NoGradient;
import ai.collectiveagency.policy.engine.OfflineEngine;
import ai.collectiveagency.policy.model.Llama;
import ai.collectiveagency.policy.model.ModelParameters;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/** Every weight's gradient, in double, of what one backward pass differentiates. */
final class ModelGradients {

    private ModelGradients() {}

    /**
     * Makes every weight trainable with a zero gradient, runs {@code backward} in a gradient
     * collector and returns the gradients by weight name; the weights are frozen again after.
     */
    static Map<String, double[]> of(Llama model, Consumer<GradientCollector> backward) {
        model.parameters().setTrainable(true);
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            try (NoGradient noGradient = new NoGradient()) {
                model.parameters().asMap().values()
                        .forEach(p -> p.getGradient().set(new NDIndex("..."), 0));
            }
            try (GradientCollector collector = OfflineEngine.start().newGradientCollector()) {
                backward.accept(collector);
            }
            Map<String, double[]> gradients = new LinkedHashMap<>();
            model.parameters().asMap().forEach((name, p) -> gradients.put(name,
                    p.getGradient().toType(DataType.FLOAT64, false).toDoubleArray()));
            return gradients;
        } finally {
            model.parameters().setTrainable(false);
        }
    }

    /** The same weights in float64: the engine's path throughout, where Java views none. */
    static ModelParameters toFloat64(ModelParameters float32) {
        Map<String, NDArray> converted = new LinkedHashMap<>();
        float32.asMap().forEach((name, a) -> converted.put(name, a.toType(DataType.FLOAT64,
                true)));
        return new ModelParameters(float32.manager(), converted);
    }

    static double norm(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v * v;
        }
        return Math.sqrt(sum);
    }
}
