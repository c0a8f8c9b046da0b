package ai.collectiveagency.rollout.api;

/** OpenAI's error response: {@code {"error": {"message", "type", "param", "code"}}}. */
public record ErrorBody(Error error) {

    /** The error; {@code param} and {@code code} may be null. */
    public record Error(String message, String type, String param, String code) {
    }
}
