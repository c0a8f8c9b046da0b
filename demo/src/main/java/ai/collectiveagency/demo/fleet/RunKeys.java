package ai.collectiveagency.demo.fleet;

import ai.collectiveagency.schemas.signing.KeyPairFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A run's checkpoint-signing key pair, {@code keys/trainer.key.pem} and {@code .pub.pem} in its
 * folder: made on the run's first session and kept, so a continued run (and its checkpoints
 * already on the topic) keeps its key. The trainer signs with the private key; the
 * rollout-service trusts the public key and the run's checkpoint store only.
 */
public record RunKeys(KeyPairFiles files) {

    /** The pair of {@code runFolder}, made when it has none. */
    public static RunKeys of(Path runFolder) {
        KeyPairFiles files = KeyPairFiles.in(runFolder.resolve("keys"), "trainer");
        return new RunKeys(files.exist() ? files : files.generate());
    }

    /** What the trainer-service needs to sign its announcements. */
    public Map<String, String> trainerSettings() {
        return Map.of("trainer.signing.private-key", files.privateKey().toString());
    }

    /**
     * What the rollout-service needs to follow them: checkpoints on, the public key, and
     * {@code store} (created when missing: the trainer makes it only at its first checkpoint)
     * as the store root.
     */
    public Map<String, String> rolloutSettings(Path store) {
        try {
            Files.createDirectories(store);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + store, e);
        }
        return Map.of("rollout.checkpoints.enabled", "true",
                "rollout.checkpoints.public-keys", files.publicKey().toString(),
                "rollout.checkpoints.store-root", store.toString());
    }
}
