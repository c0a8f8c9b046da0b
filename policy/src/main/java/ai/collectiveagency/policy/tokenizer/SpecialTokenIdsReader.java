package ai.collectiveagency.policy.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Gathers a model folder's special token ids from the three files that may state them.
 *
 * <p>Models disagree on where they put them: Qwen2 lists two EOS ids in
 * {@code generation_config.json} but one in {@code config.json}; Llama-3-Instruct ends turns with
 * {@code <|eot_id|>}, named only in some of the files. Generation must stop at any of them, so
 * the EOS ids are the union of all sources, in the order generation config, model config,
 * tokenizer config. BOS and pad ids take the first source that sets them; pad falls back to the
 * first EOS id, as Hugging Face's {@code generate} does.
 */
final class SpecialTokenIdsReader {

    private final Path folder;
    private final JsonNode generationConfig;
    private final JsonNode modelConfig;
    private final TokenizerConfigFile tokenizerConfig;
    private final TextTokenizer tokenizer;

    SpecialTokenIdsReader(Path folder, JsonNode generationConfig, JsonNode modelConfig,
            TextTokenizer tokenizer) {
        this.folder = folder;
        this.generationConfig = generationConfig;
        this.modelConfig = modelConfig;
        this.tokenizerConfig = tokenizer == null ? null : tokenizer.config();
        this.tokenizer = tokenizer;
    }

    SpecialTokenIds read() {
        Set<Integer> eos = new LinkedHashSet<>();
        eos.addAll(ids(generationConfig, "eos_token_id", GenerationDefaults.GENERATION_CONFIG));
        eos.addAll(ids(modelConfig, "eos_token_id", GenerationDefaults.MODEL_CONFIG));
        tokenId("eos_token").ifPresent(eos::add);
        if (eos.isEmpty()) {
            throw new IllegalArgumentException(folder + " names no end-of-sequence token: none of "
                    + GenerationDefaults.GENERATION_CONFIG + ", " + GenerationDefaults.MODEL_CONFIG
                    + " (eos_token_id) or " + TokenizerConfigFile.FILE_NAME
                    + " (eos_token) sets one");
        }
        OptionalInt bos = firstId("bos_token_id", "bos_token");
        int pad = firstId("pad_token_id", "pad_token").orElse(eos.iterator().next());
        return new SpecialTokenIds(eos, bos, pad);
    }

    private OptionalInt firstId(String idKey, String tokenKey) {
        List<Integer> found = new ArrayList<>();
        found.addAll(ids(generationConfig, idKey, GenerationDefaults.GENERATION_CONFIG));
        found.addAll(ids(modelConfig, idKey, GenerationDefaults.MODEL_CONFIG));
        tokenId(tokenKey).ifPresent(found::add);
        return found.isEmpty() ? OptionalInt.empty() : OptionalInt.of(found.get(0));
    }

    private Optional<Integer> tokenId(String key) {
        if (tokenizer == null) {
            return Optional.empty(); // a token-id-only model: the JSON configs must say it
        }
        Optional<String> token = tokenizerConfig.specialToken(key);
        if (token.isEmpty()) {
            return Optional.empty();
        }
        OptionalInt id = tokenizer.tokenId(token.get());
        if (id.isEmpty()) {
            throw new IllegalArgumentException(tokenizerConfig.file() + ": " + key + " "
                    + token.get() + " is not in the vocabulary of " + TextTokenizer.FILE_NAME);
        }
        return Optional.of(id.getAsInt());
    }

    // Hugging Face writes an id as an integer, a list of integers, or null.
    private List<Integer> ids(JsonNode root, String key, String fileName) {
        JsonNode value = root.path(key);
        List<Integer> ids = new ArrayList<>();
        if (value.isMissingNode() || value.isNull()) {
            return ids;
        }
        for (JsonNode id : value.isArray() ? value : List.of(value)) {
            if (!id.isIntegralNumber() || id.asLong() < 0 || !id.canConvertToInt()) {
                throw new IllegalArgumentException(folder.resolve(fileName) + ": " + key
                        + " must be a token id or a list of token ids, got " + value);
            }
            ids.add(id.asInt());
        }
        return ids;
    }
}
