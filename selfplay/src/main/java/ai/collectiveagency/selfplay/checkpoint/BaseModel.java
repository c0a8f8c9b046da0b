package ai.collectiveagency.selfplay.checkpoint;

import ai.collectiveagency.policy.checkpoint.BaseModelIdentity;
import ai.collectiveagency.policy.checkpoint.ModelCheckpoint;
import ai.collectiveagency.policy.checkpoint.Sha256Manifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The base model this service was started with, as checkpoints are matched against it.
 *
 * @param folder its folder (FULL checkpoints are served with its tokenizer)
 * @param names the names a LORA record's {@code base_model} may carry (its config name, and the
 *     name it is served under)
 * @param sha256 its identity ({@link BaseModelIdentity}): every checkpoint's
 *     {@code base_model_sha256} must equal it
 * @param tokenizerFiles SHA-256 of each of its tokenizer files
 *     ({@link ModelCheckpoint#TOKENIZER_FILES}) by name: a FULL checkpoint must carry exactly
 *     these
 */
public record BaseModel(Path folder, Set<String> names, String sha256,
        Map<String, String> tokenizerFiles) {

    public BaseModel {
        names = Set.copyOf(names);
        tokenizerFiles = Map.copyOf(tokenizerFiles);
    }

    /** Reads {@code folder}'s identity and tokenizer digests (a pass over its weights). */
    public static BaseModel of(Path folder, Set<String> names) {
        Map<String, String> tokenizer = new TreeMap<>();
        for (String name : ModelCheckpoint.TOKENIZER_FILES) {
            Path file = folder.resolve(name);
            if (Files.isRegularFile(file)) {
                tokenizer.put(name, Sha256Manifest.sha256(file));
            }
        }
        return new BaseModel(folder, names, BaseModelIdentity.sha256(folder), tokenizer);
    }
}
