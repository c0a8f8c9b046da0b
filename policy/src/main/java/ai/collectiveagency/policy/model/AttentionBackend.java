package ai.collectiveagency.policy.model;

import ai.collectiveagency.policy.engine.EnumProperty;

/**
 * Where {@link Llama} computes attention in a forward pass that autograd does not record (a
 * prompt's prefill under {@code NoGradient}). A recorded pass follows
 * {@link RecordedAttention}.
 */
public enum AttentionBackend {

    /** The engine's batched matmuls, mask and softmax, op by op. */
    ENGINE,

    /**
     * {@link JavaAttention}'s Vector API kernels, for a float32 model on the CPU whose heads are
     * whole vectors, in a JVM with the {@code jdk.incubator.vector} module, and a pass of at
     * least four new tokens; elsewhere the engine's.
     */
    JAVA;

    /** System property that overrides the default, JAVA: {@code ENGINE} or {@code JAVA}. */
    public static final String PROPERTY = "policy.attention.backend";

    /** The backend named by {@link #PROPERTY}, else JAVA. */
    public static AttentionBackend configured() {
        return EnumProperty.read(PROPERTY, AttentionBackend.class, () -> JAVA, "a backend");
    }
}
