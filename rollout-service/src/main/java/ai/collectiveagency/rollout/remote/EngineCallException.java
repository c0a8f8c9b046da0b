package ai.collectiveagency.rollout.remote;

/**
 * One failed attempt of an engine call, with whether another attempt may help: a refused or
 * dropped connection, a timeout, 408, 429 and 5xx may; any other answer will not.
 */
final class EngineCallException extends RuntimeException {

    /** No HTTP status: the call got no answer. */
    static final int NO_STATUS = -1;

    private final int status;
    private final boolean retryable;

    EngineCallException(String message, int status, boolean retryable, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.retryable = retryable;
    }

    /** An HTTP answer other than 200. */
    static EngineCallException status(Engine engine, String path, int status, String body) {
        boolean retryable = status == 408 || status == 429 || status >= 500;
        String excerpt = body.length() > 300 ? body.substring(0, 300) + "..." : body;
        return new EngineCallException(engine + "/" + path + " answered " + status + ": "
                + excerpt, status, retryable, null);
    }

    int status() {
        return status;
    }

    boolean retryable() {
        return retryable;
    }
}
