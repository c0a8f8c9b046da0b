package ai.collectiveagency.llm;

/** Why one request for a JSON answer failed; the label is what metrics and logs show. */
public enum ChatFailure {
    /** The endpoint answered with an HTTP error status. */
    HTTP_STATUS("http_status", true),
    /** No answer within the attempt timeout. */
    TIMEOUT("timeout", true),
    /** The endpoint could not be reached or the connection broke. */
    CONNECTION("connection", true),
    /** The reply was not an OpenAI chat completion (no choices, no message content). */
    MALFORMED_REPLY("malformed_reply", true),
    /** The model's answer was not JSON. */
    INVALID_JSON("invalid_json", true),
    /** The model's answer was JSON that does not match the schema. */
    SCHEMA_VIOLATION("schema_violation", true),
    /** The circuit breaker is open after repeated failures: the request was not sent. */
    CIRCUIT_OPEN("circuit_open", false),
    /** The endpoint refused the request itself (4xx other than 408 and 429): retrying cannot help. */
    REJECTED("rejected", false);

    private final String label;
    private final boolean retryable;

    ChatFailure(String label, boolean retryable) {
        this.label = label;
        this.retryable = retryable;
    }

    /** Lower-case name for metric tags and log lines. */
    public String label() {
        return label;
    }

    /**
     * Whether the endpoint gave no answer at all (an outage: down, slow, broken replies, the
     * circuit open), as opposed to an answer that was wrong or a request it refused: what a
     * caller may wait out.
     */
    public boolean unreachable() {
        return this == HTTP_STATUS || this == TIMEOUT || this == CONNECTION
                || this == MALFORMED_REPLY || this == CIRCUIT_OPEN;
    }

    /** Whether another attempt may succeed. */
    public boolean retryable() {
        return retryable;
    }
}
