package ai.collectiveagency.policy.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The token-to-id table of a {@code tokenizer.json}: the model's vocabulary plus its added
 * tokens. DJL's tokenizer binding does not expose it, so it is read from the JSON directly.
 */
final class Vocabulary {

    private final Map<String, Integer> idsByToken;

    private Vocabulary(Map<String, Integer> idsByToken) {
        this.idsByToken = Map.copyOf(idsByToken);
    }

    /** Reads the table from a parsed {@code tokenizer.json}; {@code file} names it in errors. */
    static Vocabulary of(JsonNode tokenizerJson, Path file) {
        JsonNode vocab = tokenizerJson.path("model").path("vocab");
        Map<String, Integer> ids = new HashMap<>();
        if (vocab.isObject()) {
            // BPE, WordPiece, WordLevel: {"token": id, ...}
            for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                ids.put(entry.getKey(), entry.getValue().asInt());
            }
        } else if (vocab.isArray()) {
            // Unigram: [["piece", score], ...] where the position is the id.
            for (int id = 0; id < vocab.size(); id++) {
                ids.put(vocab.get(id).path(0).asText(), id);
            }
        } else {
            throw new IllegalArgumentException(file + ": model.vocab is missing");
        }
        for (JsonNode added : tokenizerJson.path("added_tokens")) {
            ids.put(added.path("content").asText(), added.path("id").asInt());
        }
        return new Vocabulary(ids);
    }

    /** Number of distinct tokens, added tokens included (Hugging Face's {@code len(tokenizer)}). */
    int size() {
        return idsByToken.size();
    }

    /** The id of a token in its vocabulary form (e.g. {@code "Ġhello"} for byte-level BPE). */
    OptionalInt id(String token) {
        Integer id = idsByToken.get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }
}
