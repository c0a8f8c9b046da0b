package ai.collectiveagency.selfplay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The name a group records for the model that sampled it. */
public final class ModelName {

    private ModelName() {}

    /**
     * The {@code _name_or_path} of the folder's {@code config.json} when set (what Hugging Face
     * writes on save), else the folder's own name.
     */
    public static String of(Path modelFolder) {
        Path config = modelFolder.resolve("config.json");
        if (Files.exists(config)) {
            try {
                JsonNode name = new ObjectMapper().readTree(config.toFile()).path("_name_or_path");
                if (name.isTextual() && !name.asText().isBlank()) {
                    return name.asText();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + config + ": " + e.getMessage(), e);
            }
        }
        return modelFolder.toAbsolutePath().normalize().getFileName().toString();
    }
}
