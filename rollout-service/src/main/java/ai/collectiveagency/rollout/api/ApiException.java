package ai.collectiveagency.rollout.api;

import java.time.Duration;
import java.util.Map;

/**
 * A request the API refuses, with what OpenAI's error object carries: the HTTP status, the
 * error type, the offending parameter (or null) and a machine-readable code (or null), plus the
 * response headers the refusal needs ({@code Retry-After}, {@code WWW-Authenticate}). Messages
 * never quote a caller's values beyond numbers the server checked.
 */
public final class ApiException extends RuntimeException {

    private static final String INVALID = "invalid_request_error";

    private final int status;
    private final String type;
    private final String param;
    private final String code;
    private final Map<String, String> headers;

    public ApiException(int status, String type, String message, String param, String code) {
        this(status, type, message, param, code, Map.of());
    }

    private ApiException(int status, String type, String message, String param, String code,
            Map<String, String> headers) {
        super(message, null, false, false); // a refusal, not a failure: no stack trace
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
        this.headers = Map.copyOf(headers);
    }

    /** 400 {@code invalid_request_error} naming {@code param}. */
    public static ApiException invalid(String param, String message) {
        return new ApiException(400, INVALID, message, param, "invalid_value");
    }

    /** 400 {@code invalid_json}: a request without a body. */
    public static ApiException emptyBody() {
        return new ApiException(400, INVALID, "We could not parse the JSON body of your "
                + "request: it is empty", null, "invalid_json");
    }

    /** 404 {@code model_not_found}. */
    public static ApiException modelNotFound(String model, String served) {
        return new ApiException(404, INVALID, "The model '" + model
                + "' does not exist; this server serves '" + served + "'", "model",
                "model_not_found");
    }

    /** 404 for a path or method the API does not have. */
    public static ApiException unknownUrl(String method, String path) {
        String shown = path.length() > 100 ? path.substring(0, 100) + "..." : path;
        return new ApiException(404, INVALID, "Invalid URL (" + method + " " + shown + ")",
                null, "unknown_url");
    }

    /** 400 {@code context_length_exceeded}. */
    public static ApiException contextLength(int promptTokens, long maxTokens, int context) {
        return new ApiException(400, INVALID, "This model's maximum context length is "
                + context + " tokens; the prompt has " + promptTokens + " tokens and "
                + maxTokens + " were requested for the completion (" + (promptTokens + maxTokens)
                + " in all). Shorten the prompt or lower max_tokens.", "max_tokens",
                "context_length_exceeded");
    }

    /**
     * 400 {@code context_length_exceeded} for asynchronous reasoning: the prompts, separators
     * and question ({@code fixed} positions) and both budgets must fit the context.
     */
    public static ApiException reasoningContextLength(long fixed, int thinkerTokens,
            long writerTokens, int context, String writerParam) {
        return new ApiException(400, INVALID, "This model's maximum context length is "
                + context + " tokens; asynchronous reasoning needs " + fixed + " for the prompts,"
                + " separators and question, " + thinkerTokens + " for the thinker"
                + " (reasoning.max_reasoning_tokens) and " + writerTokens + " for the answer ("
                + (fixed + thinkerTokens + writerTokens) + " in all). Shorten the conversation or"
                + " lower reasoning.max_reasoning_tokens or " + writerParam + ".", writerParam,
                "context_length_exceeded");
    }

    /** 401 {@code invalid_api_key}, with the challenge clients expect. */
    public static ApiException invalidApiKey(boolean presented) {
        return new ApiException(401, INVALID, presented
                ? "Incorrect API key provided. Send one of the keys in rollout.api.keys as "
                        + "'Authorization: Bearer <key>'."
                : "You didn't provide an API key. Send it as 'Authorization: Bearer <key>'.",
                null, "invalid_api_key", Map.of("WWW-Authenticate", "Bearer"));
    }

    /** 413: the body is over {@code quarkus.http.limits.max-body-size}. */
    public static ApiException bodyTooLarge(long limit) {
        return new ApiException(413, INVALID, "The request body is larger than this server "
                + "accepts (" + limit + " bytes)", null, "request_too_large",
                Map.of("Connection", "close"));
    }

    /** 429: the queue of API requests is full. */
    public static ApiException queueFull(int queued, long retryAfterSeconds) {
        return new ApiException(429, "requests", "The server is busy: " + queued
                + " requests already wait for the model. Retry after " + retryAfterSeconds
                + " s.", null, "rate_limit_exceeded",
                Map.of("Retry-After", Long.toString(retryAfterSeconds)));
    }

    /** 504: the request did not finish within {@code rollout.api.timeout}. */
    public static ApiException deadline(Duration timeout, boolean started) {
        return new ApiException(504, "server_error", "The request did not finish within "
                + timeout.toSeconds() + " s (rollout.api.timeout, queue wait included; it "
                + (started ? "was generating" : "was still waiting for the model")
                + "). Retry later or ask for fewer tokens.", null, "timeout");
    }

    /**
     * 503: this replica generates on remote engines ({@code rollout.generation=remote}), and its
     * local model is the base, not the version the engines serve.
     */
    public static ApiException generationRemote() {
        return new ApiException(503, "server_error", "This replica samples on remote inference"
                + " engines (rollout.generation=remote); its own model is the base model, not the"
                + " policy version they serve. Send requests to the engines"
                + " (rollout.remote.urls).", null, "generation_remote");
    }

    /** 500 without the cause's text: the log has it under {@code requestId}. */
    public static ApiException serverError(String requestId) {
        return new ApiException(500, "server_error", "The server had an error while processing "
                + "your request; its log has the details under request id " + requestId + ".",
                null, null);
    }

    public int status() {
        return status;
    }

    /** Response headers this refusal needs (empty for most). */
    public Map<String, String> headers() {
        return headers;
    }

    /** The body OpenAI clients parse. */
    public ErrorBody body() {
        return new ErrorBody(new ErrorBody.Error(getMessage(), type, param, code));
    }
}
