package ai.collectiveagency.policy.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Freshly initialised weights for a config, as Hugging Face initialises a Llama: normal(0, 0.02)
 * matrices, zero biases, unit norms. For benchmarks and tests that need a model of a given shape.
 */
public final class RandomWeights {

    private static final double STD = 0.02;

    private RandomWeights() {}

    /** A model of {@code config} with weights drawn from {@code seed}; owns a new manager. */
    public static Llama model(LlamaConfig config, long seed, NDManager parent) {
        return new Llama(config, parameters(config, seed, parent.newSubManager()));
    }

    /** Weights of {@code config}; {@code manager} becomes their owner. */
    public static ModelParameters parameters(LlamaConfig config, long seed, NDManager manager) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        ParameterNames.expectedShapes(config).forEach((name, shape) -> {
            float[] values = new float[Math.toIntExact(new Shape(shape).size())];
            if (name.endsWith("norm.weight")) {
                java.util.Arrays.fill(values, 1f);
            } else if (!name.endsWith(".bias")) {
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) (gaussian(random) * STD);
                }
            }
            NDArray array = manager.create(values, new Shape(shape));
            array.setName(name);
            arrays.put(name, array);
        });
        return new ModelParameters(manager, arrays);
    }

    /** A standard normal draw (Box-Muller: SplittableRandom has no nextGaussian on Java 17). */
    public static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
