package ai.collectiveagency.policy.lora;

import ai.collectiveagency.policy.checkpoint.ModelFolderException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * PEFT's {@code adapter_config.json} for a LoRA adapter of a causal LM.
 *
 * <p>Writes the fields PEFT's {@code LoraConfig.save_pretrained} writes (sorted, 2-space indent),
 * limited to ones every PEFT release since 0.10 accepts. Reading refuses the PEFT options this
 * library does not implement (rsLoRA, DoRA, biases, per-layer ranks, ...) rather than ignore them.
 *
 * @param lora the hyper-parameters (the seed is not stored by PEFT and reads back as 0)
 * @param baseModelNameOrPath {@code base_model_name_or_path}: the model the adapter belongs to,
 *     or null when unknown
 */
public record PeftAdapterConfig(LoraConfig lora, String baseModelNameOrPath) {

    public static final String FILE = "adapter_config.json";

    /** Writes {@code file}. */
    public void write(Path file) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ArrayNode targets = json.arrayNode();
        lora.targetModules().forEach(targets::add);
        double alpha = lora.alpha();
        Map<String, Object> fields = new TreeMap<>();
        fields.put("alpha_pattern", json.objectNode());
        fields.put("auto_mapping", null);
        fields.put("base_model_name_or_path", baseModelNameOrPath);
        fields.put("bias", "none");
        fields.put("fan_in_fan_out", false);
        fields.put("inference_mode", true);
        fields.put("init_lora_weights", true);
        fields.put("layer_replication", null);
        fields.put("layers_pattern", null);
        fields.put("layers_to_transform", null);
        fields.put("loftq_config", json.objectNode());
        fields.put("lora_alpha", alpha == Math.rint(alpha) ? (Object) (long) alpha : alpha);
        fields.put("lora_dropout", lora.dropout());
        fields.put("megatron_config", null);
        fields.put("megatron_core", "megatron.core");
        fields.put("modules_to_save", null);
        fields.put("peft_type", "LORA");
        fields.put("r", lora.rank());
        fields.put("rank_pattern", json.objectNode());
        fields.put("revision", null);
        fields.put("target_modules", targets);
        fields.put("task_type", "CAUSAL_LM");
        fields.put("use_dora", false);
        fields.put("use_rslora", false);
        try {
            Files.writeString(file, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(fields));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Reads {@code file}, refusing options this library does not implement. */
    public static PeftAdapterConfig read(Path file) {
        if (!Files.exists(file)) {
            throw new ModelFolderException(file + ": missing");
        }
        try {
            return parse(Files.readAllBytes(file), file);
        } catch (IOException e) {
            throw new ModelFolderException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Parses the bytes of an {@code adapter_config.json}, refusing options this library does
     * not implement.
     *
     * @param file where they come from, for messages
     */
    public static PeftAdapterConfig parse(byte[] bytes, Path file) {
        JsonNode json;
        try {
            json = new ObjectMapper().readTree(bytes);
        } catch (IOException e) {
            throw new ModelFolderException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        try {
            requireSupported(json);
            LoraConfig lora = new LoraConfig(requiredInt(json, "r"),
                    requiredNumber(json, "lora_alpha"), json.path("lora_dropout").asDouble(0),
                    targetModules(json.get("target_modules")), 0);
            JsonNode base = json.get("base_model_name_or_path");
            return new PeftAdapterConfig(lora, base == null || base.isNull() ? null
                    : base.asText());
        } catch (IllegalArgumentException e) {
            throw new ModelFolderException(file + ": " + e.getMessage(), e);
        }
    }

    private static void requireSupported(JsonNode json) {
        expect(json, "peft_type", "LORA", "only LoRA adapters are supported");
        expect(json, "task_type", "CAUSAL_LM", "only causal-LM adapters are supported");
        expect(json, "bias", "none", "LoRA biases are not supported");
        for (String flag : List.of("use_rslora", "use_dora", "fan_in_fan_out")) {
            if (json.path(flag).asBoolean(false)) {
                throw new IllegalArgumentException("'" + flag
                        + "' is true, which is not supported");
            }
        }
        for (String key : List.of("rank_pattern", "alpha_pattern", "modules_to_save",
                "layers_to_transform", "layer_replication")) {
            JsonNode value = json.get(key);
            if (value != null && !value.isNull() && !value.isEmpty()) {
                throw new IllegalArgumentException("'" + key + "' is set (" + value
                        + "), which is not supported");
            }
        }
    }

    private static void expect(JsonNode json, String key, String expected, String why) {
        JsonNode value = json.get(key);
        if (value != null && !value.isNull() && !value.asText().equals(expected)) {
            throw new IllegalArgumentException("'" + key + "' is '" + value.asText() + "': " + why);
        }
    }

    private static List<String> targetModules(JsonNode node) {
        if (node == null || node.isNull()) {
            throw new IllegalArgumentException("missing 'target_modules'");
        }
        if (node.isTextual()) {
            // PEFT reads a string as a regular expression; only a plain module name is safe here
            return List.of(node.asText());
        }
        List<String> modules = new ArrayList<>();
        node.forEach(m -> modules.add(m.asText()));
        return modules;
    }

    private static int requiredInt(JsonNode json, String key) {
        if (!json.path(key).isIntegralNumber()) {
            throw new IllegalArgumentException("'" + key + "' must be an integer, got "
                    + json.get(key));
        }
        return json.get(key).asInt();
    }

    private static double requiredNumber(JsonNode json, String key) {
        if (!json.path(key).isNumber()) {
            throw new IllegalArgumentException("'" + key + "' must be a number, got "
                    + json.get(key));
        }
        return json.get(key).asDouble();
    }
}
