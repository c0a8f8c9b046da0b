package ai.collectiveagency.policy.checkpoint;

import ai.collectiveagency.policy.model.LlamaConfig;
import ai.collectiveagency.policy.model.RopeScaling;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * Writes a {@link LlamaConfig} as the Hugging Face {@code config.json} that
 * {@link LlamaConfig#read} and {@code AutoModelForCausalLM} read back to the same model.
 */
final class ConfigJson {

    private static final Map<String, String> ARCHITECTURES = Map.of(
            "llama", "LlamaForCausalLM",
            "qwen2", "Qwen2ForCausalLM",
            "qwen3", "Qwen3ForCausalLM",
            "mistral", "MistralForCausalLM");

    private ConfigJson() {}

    /**
     * The config's fields laid over {@code source} (the original {@code config.json}, or null),
     * so fields this library does not model, such as token ids, survive a save.
     */
    static ObjectNode toJson(LlamaConfig config, JsonNode source) {
        ObjectNode json = source != null && source.isObject() ? ((ObjectNode) source).deepCopy()
                : new ObjectMapper().createObjectNode();
        json.remove("quantization_config"); // the weights are written as plain float32
        json.putArray("architectures").add(ARCHITECTURES.get(config.modelType()));
        json.put("model_type", config.modelType());
        json.put("hidden_size", config.hiddenSize());
        json.put("intermediate_size", config.intermediateSize());
        json.put("num_hidden_layers", config.numLayers());
        json.put("num_attention_heads", config.numHeads());
        json.put("num_key_value_heads", config.numKvHeads());
        json.put("head_dim", config.headDim());
        json.put("vocab_size", config.vocabSize());
        json.put("max_position_embeddings", config.maxPositions());
        json.put("rms_norm_eps", config.rmsNormEps());
        json.put("rope_theta", config.ropeTheta());
        json.put("tie_word_embeddings", config.tiedEmbeddings());
        json.put("attention_bias", config.qkvBias());
        json.put("hidden_act", "silu");
        json.put("torch_dtype", "float32");
        if (config.ropeScaling() == null) {
            json.putNull("rope_scaling");
        } else {
            putRopeScaling(json.putObject("rope_scaling"), config.ropeScaling());
        }
        return json;
    }

    private static void putRopeScaling(ObjectNode json, RopeScaling scaling) {
        // Both keys: transformers reads rope_type, releases before 4.43 read type.
        json.put("rope_type", scaling.type());
        json.put("type", scaling.type());
        json.put("factor", scaling.factor());
        if (scaling.type().equals("llama3")) {
            json.put("low_freq_factor", scaling.lowFreqFactor());
            json.put("high_freq_factor", scaling.highFreqFactor());
            json.put("original_max_position_embeddings", scaling.originalMaxPositions());
        }
    }
}
