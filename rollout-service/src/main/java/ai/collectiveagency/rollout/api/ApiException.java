package ai.collectiveagency.rollout.api;

/**
 * A request the API refuses, with what OpenAI's error object carries: the HTTP status, the
 * error type, the offending parameter (or null) and a machine-readable code (or null).
 */
public final class ApiException extends RuntimeException {

    private final int status;
    private final String type;
    private final String param;
    private final String code;

    public ApiException(int status, String type, String message, String param, String code) {
        super(message);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
    }

    /** 400 {@code invalid_request_error} naming {@code param}. */
    public static ApiException invalid(String param, String message) {
        return new ApiException(400, "invalid_request_error", message, param, "invalid_value");
    }

    /** 400 {@code invalid_json}: a request without a body. */
    public static ApiException emptyBody() {
        return new ApiException(400, "invalid_request_error", "We could not parse the JSON body "
                + "of your request: it is empty", null, "invalid_json");
    }

    /** 404 {@code model_not_found}. */
    public static ApiException modelNotFound(String model, String served) {
        return new ApiException(404, "invalid_request_error", "The model '" + model
                + "' does not exist; this server serves '" + served + "'", "model",
                "model_not_found");
    }

    /** 400 {@code context_length_exceeded}. */
    public static ApiException contextLength(int promptTokens, int maxTokens, int context) {
        return new ApiException(400, "invalid_request_error", "This model's maximum context "
                + "length is " + context + " tokens; the prompt has " + promptTokens
                + " tokens and " + maxTokens + " were requested for the completion ("
                + (promptTokens + maxTokens) + " in all). Shorten the prompt or lower max_tokens.",
                "max_tokens", "context_length_exceeded");
    }

    public int status() {
        return status;
    }

    /** The body OpenAI clients parse. */
    public ErrorBody body() {
        return new ErrorBody(new ErrorBody.Error(getMessage(), type, param, code));
    }
}
