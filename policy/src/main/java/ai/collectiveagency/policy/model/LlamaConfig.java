package ai.collectiveagency.policy.model;

import ai.collectiveagency.policy.checkpoint.ModelFolderException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The shape of a Llama-family transformer, read from a Hugging Face {@code config.json}.
 *
 * @param modelType {@code llama}, {@code qwen2}, {@code qwen3} or {@code mistral}
 * @param hiddenSize model width (dim)
 * @param intermediateSize width of the SwiGLU MLP
 * @param numLayers number of transformer blocks
 * @param numHeads query heads
 * @param numKvHeads key/value heads (grouped-query attention when fewer than query heads)
 * @param headDim width of one head: {@code head_dim} when the config gives it (Qwen3's may differ
 *     from hidden_size / num_attention_heads), else hidden_size / num_attention_heads
 * @param vocabSize rows of the embedding and the output head
 * @param maxPositions longest sequence computed exactly: {@code max_position_embeddings}, or
 *     Mistral's {@code sliding_window} when shorter (attention restricted to a window is not
 *     implemented, so longer sequences are refused rather than computed wrongly)
 * @param rmsNormEps epsilon inside RMSNorm
 * @param ropeTheta rotary base frequency
 * @param tiedEmbeddings whether the output head reuses the token embedding
 * @param qkvBias whether the q/k/v projections carry biases (Qwen2, or Llama's attention_bias)
 * @param ropeScaling long-context rotary scaling ({@code rope_scaling}), or {@code null}
 */
public record LlamaConfig(
        String modelType,
        int hiddenSize,
        int intermediateSize,
        int numLayers,
        int numHeads,
        int numKvHeads,
        int headDim,
        int vocabSize,
        int maxPositions,
        double rmsNormEps,
        double ropeTheta,
        boolean tiedEmbeddings,
        boolean qkvBias,
        RopeScaling ropeScaling) {

    /** Architectures whose forward pass this library implements. */
    public static final Set<String> SUPPORTED_TYPES = Set.of("llama", "qwen2", "qwen3", "mistral");

    public LlamaConfig {
        if (!SUPPORTED_TYPES.contains(modelType)) {
            throw new IllegalArgumentException("unsupported model_type '" + modelType
                    + "' (supported: llama, qwen2, qwen3, mistral)");
        }
        requirePositive("hidden_size", hiddenSize);
        requirePositive("intermediate_size", intermediateSize);
        requirePositive("num_hidden_layers", numLayers);
        requirePositive("num_attention_heads", numHeads);
        requirePositive("num_key_value_heads", numKvHeads);
        requirePositive("head_dim", headDim);
        requirePositive("vocab_size", vocabSize);
        requirePositive("max_position_embeddings", maxPositions);
        if (numHeads % numKvHeads != 0) {
            throw new IllegalArgumentException("num_attention_heads (" + numHeads
                    + ") must be a multiple of num_key_value_heads (" + numKvHeads + ")");
        }
        if (headDim % 2 != 0) {
            throw new IllegalArgumentException("head_dim must be even for rotary embeddings, got "
                    + headDim);
        }
    }

    /**
     * Whether each head's query and key pass through an RMSNorm over head_dim before RoPE
     * ({@code self_attn.q_norm} / {@code k_norm}, Qwen3).
     */
    public boolean qkNorm() {
        return modelType.equals("qwen3");
    }

    /** Query heads that share one key/value head. */
    public int groupSize() {
        return numHeads / numKvHeads;
    }

    /** Reads {@code config.json} of a Hugging Face model folder. */
    public static LlamaConfig read(Path configJson) {
        try {
            return parse(Files.readAllBytes(configJson), configJson);
        } catch (IOException e) {
            throw new ModelFolderException(configJson + ": cannot read (" + e.getMessage() + ")",
                    e);
        }
    }

    /**
     * Parses the bytes of a {@code config.json}.
     *
     * @param source where they come from, for messages
     */
    public static LlamaConfig parse(byte[] configJson, Path source) {
        JsonNode json;
        try {
            json = new ObjectMapper().readTree(configJson);
        } catch (IOException e) {
            throw new ModelFolderException(source + ": cannot read (" + e.getMessage() + ")", e);
        }
        try {
            return fromJson(json);
        } catch (IllegalArgumentException e) {
            throw new ModelFolderException(source + ": " + e.getMessage(), e);
        }
    }

    static LlamaConfig fromJson(JsonNode json) {
        String type = json.path("model_type").asText("");
        int hidden = required(json, "hidden_size");
        int heads = required(json, "num_attention_heads");
        boolean bias = type.equals("qwen2") || json.path("attention_bias").asBoolean(false);
        return new LlamaConfig(
                type,
                hidden,
                required(json, "intermediate_size"),
                required(json, "num_hidden_layers"),
                heads,
                json.path("num_key_value_heads").asInt(heads),
                json.hasNonNull("head_dim") ? json.get("head_dim").asInt() : hidden / heads,
                required(json, "vocab_size"),
                maxPositions(json),
                json.path("rms_norm_eps").asDouble(1e-6),
                json.path("rope_theta").asDouble(10000.0),
                json.path("tie_word_embeddings").asBoolean(false),
                bias,
                RopeScaling.fromJson(json.get("rope_scaling")));
    }

    private static int maxPositions(JsonNode json) {
        int positions = json.path("max_position_embeddings").asInt(2048);
        boolean windowed = json.hasNonNull("sliding_window")
                && json.path("use_sliding_window").asBoolean(true);
        return windowed ? Math.min(positions, json.get("sliding_window").asInt()) : positions;
    }

    private static int required(JsonNode json, String key) {
        if (!json.hasNonNull(key)) {
            throw new IllegalArgumentException("missing '" + key + "'");
        }
        return json.get(key).asInt();
    }

    private static void requirePositive(String key, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException("'" + key + "' must be positive, got " + value);
        }
    }
}
