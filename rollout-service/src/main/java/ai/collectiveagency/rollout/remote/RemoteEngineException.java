package ai.collectiveagency.rollout.remote;

/**
 * An engine call that failed for good (its retries spent, or refused outright): the rollout
 * batch fails with it, and the stage sends the task to the dead-letter topic with this message
 * once it failed alone as often as {@code rollout.stage.max-attempts} allows.
 */
public final class RemoteEngineException extends RuntimeException {

    public RemoteEngineException(String message) {
        super(message);
    }

    public RemoteEngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
