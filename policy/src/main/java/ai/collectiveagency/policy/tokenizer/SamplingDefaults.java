package ai.collectiveagency.policy.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * The sampling settings a model's authors recommend in {@code generation_config.json}; each is
 * empty when the file or the key is absent (or null), so callers choose their own default.
 *
 * @param temperature softmax temperature
 * @param topP nucleus sampling: smallest set of tokens whose probability reaches this mass
 * @param topK sample only among this many most likely tokens
 * @param doSample whether to sample at all (false: greedy decoding)
 */
public record SamplingDefaults(
        OptionalDouble temperature, OptionalDouble topP, OptionalInt topK,
        Optional<Boolean> doSample) {

    /** No recommendation at all. */
    public static final SamplingDefaults NONE = new SamplingDefaults(
            OptionalDouble.empty(), OptionalDouble.empty(), OptionalInt.empty(), Optional.empty());

    /** Reads the settings of a parsed {@code generation_config.json}; {@code file} for errors. */
    static SamplingDefaults of(JsonNode generationConfig, Path file) {
        return new SamplingDefaults(
                decimal(generationConfig, "temperature", file),
                decimal(generationConfig, "top_p", file),
                integer(generationConfig, "top_k", file),
                flag(generationConfig, "do_sample", file));
    }

    private static OptionalDouble decimal(JsonNode root, String key, Path file) {
        JsonNode value = present(root, key);
        if (value == null) {
            return OptionalDouble.empty();
        }
        if (!value.isNumber()) {
            throw wrongType(file, key, "a number", value);
        }
        return OptionalDouble.of(value.asDouble());
    }

    private static OptionalInt integer(JsonNode root, String key, Path file) {
        JsonNode value = present(root, key);
        if (value == null) {
            return OptionalInt.empty();
        }
        if (!value.isIntegralNumber()) {
            throw wrongType(file, key, "an integer", value);
        }
        return OptionalInt.of(value.asInt());
    }

    private static Optional<Boolean> flag(JsonNode root, String key, Path file) {
        JsonNode value = present(root, key);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            throw wrongType(file, key, "true or false", value);
        }
        return Optional.of(value.asBoolean());
    }

    private static JsonNode present(JsonNode root, String key) {
        JsonNode value = root.path(key);
        return value.isMissingNode() || value.isNull() ? null : value;
    }

    private static IllegalArgumentException wrongType(
            Path file, String key, String expected, JsonNode value) {
        return new IllegalArgumentException(
                file + ": " + key + " must be " + expected + ", got " + value);
    }
}
