package ai.collectiveagency.trainer.checkpoint;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The base model a run trains on: its name as checkpoints carry it ({@code base_model}) and its
 * identity ({@code base_model_sha256}: the SHA-256 of its weights' manifest, see
 * {@code ai.collectiveagency.policy.checkpoint.BaseModelIdentity}), which tells a model rebuilt
 * under the same name from the one the checkpoints were made on.
 */
public record BaseModel(String name, String sha256) {

    public BaseModel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sha256, "sha256");
    }

    /**
     * Checks that the checkpoints of {@code store}, whose latest state is {@code state}, were
     * made on this base model.
     *
     * @return false when the state predates recorded identities (only the name could be
     *     compared), true when the identity matched too
     * @throws IllegalStateException naming both names or both digests when they differ
     */
    public boolean requireSameAs(TrainerState state, Path store) {
        if (!state.baseModel().equals(name)) {
            throw new IllegalStateException("trainer.store " + store + " holds checkpoints of"
                    + " base model " + state.baseModel() + ", but trainer.model is " + name
                    + ": point trainer.store at another folder or trainer.model at that model");
        }
        if (state.baseModelSha256() == null) {
            return false;
        }
        if (!state.baseModelSha256().equals(sha256)) {
            throw new IllegalStateException("trainer.store " + store + " holds checkpoints of"
                    + " base model " + name + " with sha256 " + state.baseModelSha256()
                    + ", but trainer.model has sha256 " + sha256 + " (rebuilt or replaced under"
                    + " the same name): point trainer.store at another folder, or trainer.model"
                    + " at the model those checkpoints were made on");
        }
        return true;
    }
}
