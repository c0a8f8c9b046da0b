package ai.collectiveagency.schemas.kafka.stage;

/** What a {@link TransactionalStage} did, for its service's metrics. Every method is optional. */
public interface StageListener {

    /** A transaction was committed: {@code emitted} inputs handled, {@code deadLettered} not. */
    default void committed(int emitted, int deadLettered) {
    }

    /** A transaction was aborted (or never begun); its batch is read again. */
    default void aborted(Throwable cause) {
    }

    /** An input failed and is tried again alone ({@code attempt} of the limit). */
    default void retried(Throwable cause, int attempt) {
    }
}
