package ai.collectiveagency.policy.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The weights of a model by Hugging Face key, owned by one {@link NDManager}.
 *
 * <p>Arrays are float32 and live as long as this object; closing it frees them.
 */
public final class ModelParameters implements AutoCloseable {

    private final NDManager manager;
    private final Map<String, NDArray> arrays;

    /** Takes ownership of {@code manager}, which must hold every array of {@code arrays}. */
    public ModelParameters(NDManager manager, Map<String, NDArray> arrays) {
        this.manager = manager;
        this.arrays = Collections.unmodifiableMap(new LinkedHashMap<>(arrays));
    }

    /** The array stored under {@code name}. */
    public NDArray get(String name) {
        NDArray array = arrays.get(name);
        if (array == null) {
            throw new IllegalArgumentException("model has no parameter '" + name + "'");
        }
        return array;
    }

    /** The array under {@code name}, or null when the model has none (e.g. an absent bias). */
    public NDArray find(String name) {
        return arrays.get(name);
    }

    /** All parameters in checkpoint order. */
    public Map<String, NDArray> asMap() {
        return arrays;
    }

    /** Total number of scalar weights. */
    public long count() {
        return arrays.values().stream().mapToLong(a -> a.getShape().size()).sum();
    }

    /** The manager that owns the arrays; new per-model arrays (LoRA, caches) may hang off it. */
    public NDManager manager() {
        return manager;
    }

    /** Marks every parameter trainable (full fine-tuning) or frozen. */
    public void setTrainable(boolean trainable) {
        arrays.values().forEach(a -> a.setRequiresGradient(trainable));
    }

    @Override
    public void close() {
        manager.close();
    }
}
