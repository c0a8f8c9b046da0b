package ai.collectiveagency.policy.lora;

import ai.collectiveagency.policy.engine.OfflineEngine;
import ai.collectiveagency.policy.model.Llama;
import ai.collectiveagency.policy.model.ModelParameters;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Folds a LoRA adapter into a copy of its model, W' = W + scaling · B·A for every targeted
 * projection, giving a plain model to export (e.g. with {@code ModelCheckpoint}) or serve
 * without the adapter.
 */
public final class LoraMerge {

    private LoraMerge() {}

    /**
     * A new model holding merged copies of {@code base}'s weights; {@code base} and
     * {@code adapter} are left unchanged. The caller closes the result.
     *
     * @throws IllegalArgumentException when the adapter's shapes do not fit the model
     */
    public static Llama merged(Llama base, LoraAdapter adapter) {
        Map<String, LoraWeights> updates = adapter.byProjection();
        NDManager manager = OfflineEngine.manager();
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, NDArray> e : base.parameters().asMap().entrySet()) {
                String name = e.getKey();
                LoraWeights update = name.endsWith(".weight")
                        ? updates.get(name.substring(0, name.length() - ".weight".length()))
                        : null;
                NDArray copy = update == null ? copy(e.getValue(), manager)
                        : merge(name, e.getValue(), update, adapter.config().scaling(),
                                manager);
                copy.setName(name);
                arrays.put(name, copy);
            }
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
        return new Llama(base.config(), new ModelParameters(manager, arrays));
    }

    private static NDArray copy(NDArray array, NDManager owner) {
        return owner.create(array.toFloatArray(), array.getShape());
    }

    /** W (out, in) + scaling · B (out, r) · A (r, in), copied into {@code owner}. */
    private static NDArray merge(String name, NDArray weight, LoraWeights update, double scaling,
            NDManager owner) {
        if (update.b().getShape().get(0) != weight.getShape().get(0)
                || update.a().getShape().get(1) != weight.getShape().get(1)) {
            throw new IllegalArgumentException("LoRA factors of '" + name + "' (A "
                    + update.a().getShape() + ", B " + update.b().getShape()
                    + ") do not fit its weight " + weight.getShape());
        }
        float[] merged;
        try (NDScope scope = new NDScope()) { // frees the temporaries; the copy is made outside
            scope.suppressNotUsedWarning();
            // float64 so the merged weight is W + scaling·B·A correctly rounded, not re-rounded
            NDArray product = update.b().toType(DataType.FLOAT64, false)
                    .matMul(update.a().toType(DataType.FLOAT64, false)).mul(scaling);
            merged = weight.toType(DataType.FLOAT64, false).add(product)
                    .toType(DataType.FLOAT32, false).toFloatArray();
        }
        return owner.create(merged, weight.getShape());
    }
}
