package ai.collectiveagency.policy.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** Reads the JSON files of a model folder, failing with messages that name the file. */
final class JsonFiles {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonFiles() {}

    /** The parsed file; a missing, unreadable or malformed file fails naming it. */
    static JsonNode read(Path file) {
        try {
            return MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot read " + file + ": " + reason(file, e), e);
        }
    }

    /** The parsed file, or empty when the file does not exist (optional files of a folder). */
    static Optional<JsonNode> readIfPresent(Path file) {
        return Files.exists(file) ? Optional.of(read(file)) : Optional.empty();
    }

    private static String reason(Path file, IOException e) {
        if (e instanceof NoSuchFileException || !Files.exists(file)) {
            return "no such file";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
