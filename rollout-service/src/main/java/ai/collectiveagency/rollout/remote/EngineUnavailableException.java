package ai.collectiveagency.rollout.remote;

import org.apache.kafka.common.errors.RetriableException;

/**
 * No engine answered at all (connections refused or dropped, timeouts) through every retry: a
 * fault outside the task. It is a Kafka {@link RetriableException}, so the stage keeps the batch
 * and reads it again after {@code rollout.stage.retry-backoff} instead of dead-lettering its
 * tasks while the engines restart; an adoption counts it as
 * {@code RefusalReason.ENGINE_UNAVAILABLE}, tried again like files not there yet.
 */
public final class EngineUnavailableException extends RetriableException {

    public EngineUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
