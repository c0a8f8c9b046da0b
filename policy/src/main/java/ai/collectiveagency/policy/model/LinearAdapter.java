package ai.collectiveagency.policy.model;

import ai.djl.ndarray.NDArray;

/** Something added to a projection's output, such as a LoRA adapter. */
public interface LinearAdapter {

    /**
     * The adapter's contribution for the projection {@code prefix} (a checkpoint key prefix such
     * as {@code model.layers.0.self_attn.q_proj}) given its input {@code x} (..., in), or null
     * when the adapter does not touch that projection.
     */
    NDArray apply(String prefix, NDArray x);
}
