package ai.collectiveagency.trainer.service;

import ai.collectiveagency.trainer.config.TrainerConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The base model's name in checkpoints, as the rollout-service names it: {@code trainer.model-name},
 * else {@code _name_or_path} of config.json, else the folder's name.
 */
final class BaseModelName {

    private BaseModelName() {
    }

    static String of(TrainerConfig config) {
        if (config.modelName().isPresent()) {
            return config.modelName().get();
        }
        Path folder = config.model().toAbsolutePath().normalize();
        try {
            JsonNode json = new ObjectMapper().readTree(folder.resolve("config.json").toFile());
            String name = json.path("_name_or_path").asText("");
            if (!name.isBlank()) {
                return name;
            }
        } catch (IOException e) {
            // No readable config.json: the start-up checks name it; fall back to the folder.
        }
        return folder.getFileName().toString();
    }
}
