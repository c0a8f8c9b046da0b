package ai.collectiveagency.selfplay.checkpoint;

import ai.collectiveagency.policy.checkpoint.ConfinementException;
import ai.collectiveagency.policy.checkpoint.CorruptCheckpointException;
import ai.collectiveagency.policy.checkpoint.ManifestDigestException;
import java.util.Objects;

/** A checkpoint the service will not serve, with the {@link RefusalReason} it is counted under. */
public final class CheckpointRefusedException extends RuntimeException {

    private final RefusalReason reason;

    public CheckpointRefusedException(RefusalReason reason, String message) {
        this(reason, message, null);
    }

    public CheckpointRefusedException(RefusalReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /**
     * The refusal of what failed while checking or loading a checkpoint's files: its manifest
     * is another ({@code sha256}), a path leaves the store ({@code confinement}), bytes are not
     * the listed ones ({@code corrupt}), anything else ({@code load}).
     *
     * @param label {@code checkpoint version <n>}, which starts the message
     */
    public static CheckpointRefusedException of(String label, RuntimeException failure) {
        if (failure instanceof CheckpointRefusedException refused) {
            return refused;
        }
        RefusalReason reason = failure instanceof ManifestDigestException ? RefusalReason.SHA256
                : failure instanceof ConfinementException ? RefusalReason.CONFINEMENT
                : failure instanceof CorruptCheckpointException ? RefusalReason.CORRUPT
                : RefusalReason.LOAD;
        return new CheckpointRefusedException(reason, label + ": " + failure.getMessage(),
                failure);
    }

    public RefusalReason reason() {
        return reason;
    }
}
