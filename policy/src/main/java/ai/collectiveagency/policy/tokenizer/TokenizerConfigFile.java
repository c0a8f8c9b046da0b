package ai.collectiveagency.policy.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What this project reads from a Hugging Face {@code tokenizer_config.json}: the special tokens,
 * {@code add_bos_token} and the {@code chat_template}.
 *
 * <p>The file is optional: a folder without it reads as a config with no special tokens, no
 * template and {@code add_bos_token} false.
 *
 * @param file the file this was read from (named in error messages, whether or not it exists)
 * @param specialTokens special token texts by their Hugging Face key, e.g. {@code eos_token};
 *     keys whose value is null or absent are left out
 * @param addBosToken whether plain text encoding starts with the BOS token
 * @param chatTemplate the Jinja chat template, if the file has one
 */
public record TokenizerConfigFile(
        Path file,
        Map<String, String> specialTokens,
        boolean addBosToken,
        Optional<String> chatTemplate) {

    /** File name inside a model folder. */
    public static final String FILE_NAME = "tokenizer_config.json";

    /** The special-token keys that Hugging Face passes to chat templates as variables. */
    public static final List<String> SPECIAL_TOKEN_KEYS =
            List.of("bos_token", "eos_token", "unk_token", "pad_token");

    /** Copies the map, so the record stays immutable. */
    public TokenizerConfigFile {
        specialTokens = Map.copyOf(specialTokens);
    }

    /** Reads {@code tokenizer_config.json} of a model folder. */
    public static TokenizerConfigFile read(Path modelFolder) {
        Path file = modelFolder.resolve(FILE_NAME);
        Optional<JsonNode> json = JsonFiles.readIfPresent(file);
        if (json.isEmpty()) {
            return new TokenizerConfigFile(file, Map.of(), false, Optional.empty());
        }
        JsonNode root = json.get();
        Map<String, String> tokens = new LinkedHashMap<>();
        for (String key : SPECIAL_TOKEN_KEYS) {
            specialToken(file, root, key).ifPresent(text -> tokens.put(key, text));
        }
        boolean addBos = root.path("add_bos_token").asBoolean(false);
        return new TokenizerConfigFile(file, tokens, addBos, chatTemplate(file, root));
    }

    /** The text of a special token such as {@code eos_token}, if the file sets one. */
    public Optional<String> specialToken(String key) {
        return Optional.ofNullable(specialTokens.get(key));
    }

    // Older files store a token as plain text, newer ones as a serialised AddedToken object.
    private static Optional<String> specialToken(Path file, JsonNode root, String key) {
        JsonNode value = root.path(key);
        if (value.isMissingNode() || value.isNull()) {
            return Optional.empty();
        }
        if (value.isTextual()) {
            return Optional.of(value.asText());
        }
        if (value.isObject() && value.path("content").isTextual()) {
            return Optional.of(value.path("content").asText());
        }
        throw new IllegalArgumentException(file + ": " + key
                + " must be a string or an object with a \"content\" string, got " + value);
    }

    // Models with several templates (e.g. "default" and "tool_use") store a list of them.
    private static Optional<String> chatTemplate(Path file, JsonNode root) {
        JsonNode value = root.path("chat_template");
        if (value.isMissingNode() || value.isNull()) {
            return Optional.empty();
        }
        if (value.isTextual()) {
            return Optional.of(value.asText());
        }
        if (value.isArray()) {
            for (JsonNode entry : value) {
                if ("default".equals(entry.path("name").asText()) && entry.has("template")) {
                    return Optional.of(entry.path("template").asText());
                }
            }
            throw new IllegalArgumentException(
                    file + ": chat_template is a list with no entry named \"default\"");
        }
        throw new IllegalArgumentException(file
                + ": chat_template must be a string or a list of {name, template}, got "
                + value.getNodeType());
    }
}
