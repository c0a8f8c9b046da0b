package ai.collectiveagency.rollout.checkpoint;

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

    public RefusalReason reason() {
        return reason;
    }
}
