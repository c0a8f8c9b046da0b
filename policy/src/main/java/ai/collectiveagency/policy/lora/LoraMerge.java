package ai.collectiveagency.policy.lora;

import ai.collectiveagency.policy.engine.OfflineEngine;
import ai.collectiveagency.policy.model.Llama;
import ai.collectiveagency.policy.model.ModelParameters;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;

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
                        : merge(name, e.getValue(), update, (float) adapter.config().scaling(),
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

    /** W (out, in) + scaling · B (out, r) · A (r, in), computed in float32 then copied out. */
    private static NDArray merge(String name, NDArray weight, LoraWeights update, float scaling,
            NDManager owner) {
        if (update.b().getShape().get(0) != weight.getShape().get(0)
                || update.a().getShape().get(1) != weight.getShape().get(1)) {
            throw new IllegalArgumentException("LoRA factors of '" + name + "' (A "
                    + update.a().getShape() + ", B " + update.b().getShape()
                    + ") do not fit its weight " + weight.getShape());
        }
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray merged = weight.add(update.b().matMul(update.a()).mul(scaling));
            return owner.create(merged.toFloatArray(), weight.getShape());
        }
    }
}
