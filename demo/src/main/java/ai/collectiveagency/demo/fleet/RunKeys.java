package ai.collectiveagency.demo.fleet;

import ai.collectiveagency.schemas.signing.KeyPairFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A run's key pairs in its {@code keys/} folder, made on the run's first session and kept, so a
 * continued run (and what it already wrote on the topics) keeps its keys:
 * <ul>
 *   <li>{@code trainer.key.pem}, {@code .pub.pem}: the trainer signs its checkpoint
 *       announcements; the rollout-service and the evaluation-service trust the public key
 *       and the run's store only;
 *   <li>{@code operator.key.pem}, {@code .pub.pem}: the operator signs pins of the policy
 *       version ({@code ./pipeline fleet pin vN --signing-key <run>/keys/operator.key.pem});
 *       the rollout-service trusts the public key for them.
 * </ul>
 *
 * @param trainer the checkpoint-signing pair
 * @param operator the pin-signing pair
 */
public record RunKeys(KeyPairFiles trainer, KeyPairFiles operator) {

    /** The pairs of {@code runFolder}, each made when it has none. */
    public static RunKeys of(Path runFolder) {
        return new RunKeys(pair(runFolder, "trainer"), pair(runFolder, "operator"));
    }

    private static KeyPairFiles pair(Path runFolder, String name) {
        KeyPairFiles files = KeyPairFiles.in(runFolder.resolve("keys"), name);
        return files.exist() ? files : files.generate();
    }

    /** What the trainer-service needs to sign its announcements. */
    public Map<String, String> trainerSettings() {
        return Map.of("trainer.signing.private-key", trainer.privateKey().toString());
    }

    /**
     * What the rollout-service needs to follow them: checkpoints on, the trainer's public key,
     * {@code store} (created when missing: the trainer makes it only at its first checkpoint)
     * as the store root, and the operator's public key for pins.
     */
    public Map<String, String> rolloutSettings(Path store) {
        createDirectories(store);
        return Map.of("rollout.checkpoints.enabled", "true",
                "rollout.checkpoints.public-keys", trainer.publicKey().toString(),
                "rollout.checkpoints.store-root", store.toString(),
                "rollout.control.public-keys", operator.publicKey().toString());
    }

    /**
     * What the evaluation-service needs to load the checkpoints it evaluates, as the rollout
     * fleet does: the trainer's public key and {@code store} (created when missing) as the
     * store root, which it only reads.
     */
    public Map<String, String> evaluationSettings(Path store) {
        createDirectories(store);
        return Map.of("evaluation.checkpoints.public-keys", trainer.publicKey().toString(),
                "evaluation.checkpoints.store-root", store.toString());
    }

    private static void createDirectories(Path store) {
        try {
            Files.createDirectories(store);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + store, e);
        }
    }
}
