package ai.collectiveagency.trainer.service;

import ai.collectiveagency.schemas.signing.CheckpointSigner;
import ai.collectiveagency.schemas.signing.SigningKeyException;
import ai.collectiveagency.trainer.config.TrainerConfig;
import java.nio.file.Path;

/**
 * The signer of the trainer's checkpoint announcements, from {@code trainer.signing.private-key}:
 * required, so a trainer never announces a checkpoint replicas would refuse; a missing,
 * unreadable or non-Ed25519 key stops start-up naming the key.
 */
final class CheckpointSigning {

    static final String KEY = "trainer.signing.private-key";
    private static final System.Logger LOG = System.getLogger(CheckpointSigning.class.getName());

    private CheckpointSigning() {
    }

    /** @throws IllegalArgumentException naming the key and what is wrong */
    static CheckpointSigner signer(TrainerConfig config) {
        Path file = config.signing().privateKey().orElseThrow(() -> new IllegalArgumentException(
                KEY + " is not set: the trainer signs every checkpoint it announces. Make a key"
                        + " pair (./pipeline keygen --out DIR), set " + KEY + " (or"
                        + " TRAINER_SIGNING_PRIVATE_KEY) to DIR/<name>.key.pem, and give every"
                        + " replica DIR/<name>.pub.pem in rollout.checkpoints.public-keys"));
        try {
            CheckpointSigner signer = CheckpointSigner.fromPem(file);
            LOG.log(System.Logger.Level.INFO, "signing checkpoints with key " + signer.keyId()
                    + " (" + file + ")");
            return signer;
        } catch (SigningKeyException e) {
            throw new IllegalArgumentException(KEY + ": " + e.getMessage(), e);
        }
    }
}
