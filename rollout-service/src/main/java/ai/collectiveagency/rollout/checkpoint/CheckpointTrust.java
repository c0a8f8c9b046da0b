package ai.collectiveagency.rollout.checkpoint;

import ai.collectiveagency.selfplay.checkpoint.CheckpointStore;
import ai.collectiveagency.selfplay.checkpoint.LocalDirectoryStore;

import ai.collectiveagency.schemas.signing.SigningKeyException;
import ai.collectiveagency.schemas.signing.TrustedKeys;
import java.nio.file.Path;
import java.util.List;

/**
 * What a replica trusts a checkpoint announcement by, from its settings: the trainer's public
 * keys ({@code rollout.checkpoints.public-keys}) and the store root every checkpoint must lie in
 * ({@code rollout.checkpoints.store-root}). Both are required while checkpoints are followed; a
 * missing or unusable one stops start-up naming the key.
 *
 * @param keys the Ed25519 public keys whose signatures are accepted
 * @param store the directory store confined to the root
 */
public record CheckpointTrust(TrustedKeys keys, CheckpointStore store) {

    static final String PUBLIC_KEYS = "rollout.checkpoints.public-keys";
    static final String STORE_ROOT = "rollout.checkpoints.store-root";

    /**
     * @throws IllegalArgumentException naming the key and what is wrong with it
     */
    public static CheckpointTrust of(CheckpointConfig config) {
        List<Path> publicKeys = config.publicKeys().orElse(List.of());
        if (publicKeys.isEmpty()) {
            throw new IllegalArgumentException(PUBLIC_KEYS + " is not set: name the trainer's"
                    + " public key file(s) (./pipeline keygen makes a pair), or set"
                    + " rollout.checkpoints.enabled=false to serve the base model only");
        }
        TrustedKeys keys;
        try {
            keys = TrustedKeys.fromPem(publicKeys);
        } catch (SigningKeyException e) {
            throw new IllegalArgumentException(PUBLIC_KEYS + ": " + e.getMessage(), e);
        }
        Path root = config.storeRoot().orElseThrow(() -> new IllegalArgumentException(STORE_ROOT
                + " is not set: name the directory the trainer's checkpoints are in (its"
                + " trainer.store, as mounted here)"));
        try {
            return new CheckpointTrust(keys, LocalDirectoryStore.under(root));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(STORE_ROOT + ": " + e.getMessage(), e);
        }
    }
}
