package ai.collectiveagency.policy.sampling;

import ai.collectiveagency.policy.model.Llama;
import ai.collectiveagency.policy.model.ParameterNames;

import java.util.Locale;

/**
 * Where {@link Generator} runs the decode steps. The JAVA backend also prefills prompts of up to
 * {@link Generator#JAVA_PREFILL_TOKENS_PROPERTY} tokens; every other prefill runs the engine's
 * forward pass, whose attention {@code AttentionBackend} places.
 */
public enum DecodeBackend {

    /** The engine's forward pass with its KV cache: any device, any weight type. */
    ENGINE,

    /**
     * The Java decoder ({@code ai.collectiveagency.policy.decode}): Vector API kernels over a
     * float32 snapshot of the weights, several times faster than the engine on CPU for the small
     * matrix products of decoding.
     */
    JAVA;

    /** System property that overrides the default backend: {@code ENGINE} or {@code JAVA}. */
    public static final String PROPERTY = "policy.decode.backend";

    private static final String CONFIGURED = System.getProperty(PROPERTY); // read once

    /** The backend named by {@link #PROPERTY}, else JAVA for a model on the CPU, else ENGINE. */
    public static DecodeBackend defaultFor(Llama model) {
        if (CONFIGURED != null && !CONFIGURED.isBlank()) {
            try {
                return valueOf(CONFIGURED.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(PROPERTY + "=" + CONFIGURED
                        + " is not a backend: ENGINE or JAVA", e);
            }
        }
        boolean cpu = !model.parameters().get(ParameterNames.EMBED).getDevice().isGpu();
        return cpu ? JAVA : ENGINE;
    }
}
