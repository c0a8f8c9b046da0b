package ai.collectiveagency.policy.model;

import ai.djl.ndarray.NDArray;

import java.util.List;

/** Something added to a projection's output, such as a LoRA adapter. */
public interface LinearAdapter {

    /**
     * The adapter's contribution for the projection {@code prefix} (a checkpoint key prefix such
     * as {@code model.layers.0.self_attn.q_proj}) given its input {@code x} (..., in), or null
     * when the adapter does not touch that projection.
     */
    NDArray apply(String prefix, NDArray x);

    /**
     * The contributions for several projections of one input (a block's q, k and v; its gate
     * and up), in the order of {@code prefixes}, each as {@link #apply} gives it up to float
     * rounding. An adapter may share work between them; by default each is applied alone.
     */
    default NDArray[] applyAll(List<String> prefixes, NDArray x) {
        NDArray[] deltas = new NDArray[prefixes.size()];
        for (int i = 0; i < deltas.length; i++) {
            deltas[i] = apply(prefixes.get(i), x);
        }
        return deltas;
    }
}
