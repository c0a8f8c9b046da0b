package ai.collectiveagency.policy.lora;

/**
 * Tensor names PEFT uses in {@code adapter_model.safetensors} of a causal LM: the model's own key
 * prefix under {@code base_model.model.}, then {@code lora_A.weight} or {@code lora_B.weight}
 * (PEFT strips the adapter name, e.g. {@code default}, when it saves).
 */
final class PeftKeys {

    static final String PREFIX = "base_model.model.";

    private PeftKeys() {}

    /** e.g. {@code base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight}. */
    static String loraA(String projectionPrefix) {
        return PREFIX + projectionPrefix + ".lora_A.weight";
    }

    /** e.g. {@code base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight}. */
    static String loraB(String projectionPrefix) {
        return PREFIX + projectionPrefix + ".lora_B.weight";
    }
}
