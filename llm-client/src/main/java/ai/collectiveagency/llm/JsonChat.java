package ai.collectiveagency.llm;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.faulttolerance.api.TypedGuard;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * Asks an OpenAI-compatible chat endpoint for an answer that must be JSON matching a
 * {@link JsonAnswerSchema}. Each attempt runs under SmallRye Fault Tolerance (timeout, retry
 * with back-off, circuit breaker, as {@link ChatGuard} sets them); an answer that is not JSON or
 * breaks the schema counts as a failed attempt and is retried like a 500. Thread-safe.
 *
 * <p>Inside a Quarkus service with Micrometer the guard's metrics are published under the
 * {@code method} tag {@link #guardDescription()} ({@code <schema>@<model>}): the
 * {@code ft_circuitbreaker_state_current{state="open"}} gauge is what the judge-circuit alert
 * watches. SmallRye Fault Tolerance records nothing for a guard without a description.
 *
 * <pre>{@code
 * JsonChat chat = JsonChat.create(endpoint, schema, JsonMode.SCHEMA, ChatGuard.defaults());
 * JsonNode answer = chat.ask(messages, 1.0, 800, seed);   // or ChatException with the reason
 * }</pre>
 */
public final class JsonChat {

    private final OpenAiChatClient client;
    private final JsonAnswerSchema schema;
    private final JsonMode mode;
    private final TypedGuard<JsonReply> guard;
    private final ChatStats stats = new ChatStats();

    /** Connecting to an endpoint may take this long; answering is the guard's business. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** A chat with {@code endpoint} over a new client. */
    public static JsonChat create(ChatEndpoint endpoint, JsonAnswerSchema schema, JsonMode mode,
            ChatGuard settings) {
        return new JsonChat(new OpenAiChatClient(endpoint, CONNECT_TIMEOUT), schema, mode,
                settings);
    }

    public JsonChat(OpenAiChatClient client, JsonAnswerSchema schema, JsonMode mode,
            ChatGuard settings) {
        this.client = Objects.requireNonNull(client, "client");
        this.schema = Objects.requireNonNull(schema, "schema");
        this.mode = Objects.requireNonNull(mode, "mode");
        this.guard = TypedGuard.create(JsonReply.class)
                .withDescription(guardDescription())
                .withTimeout()
                    .duration(settings.attemptTimeout().toMillis(), ChronoUnit.MILLIS)
                    .done()
                .withRetry()
                    .maxRetries(settings.maxRetries())
                    .delay(settings.retryDelay().toMillis(), ChronoUnit.MILLIS)
                    .jitter(0, ChronoUnit.MILLIS)
                    .maxDuration(0, ChronoUnit.MILLIS)
                    .whenException(failure -> reason(failure).retryable())
                    .beforeRetry(failure -> stats.retry(reason(failure)))
                    .withExponentialBackoff().factor(2).done()
                    .done()
                .withCircuitBreaker()
                    .requestVolumeThreshold(settings.circuitWindow())
                    .failureRatio(settings.failureRatio())
                    .delay(settings.circuitDelay().toMillis(), ChronoUnit.MILLIS)
                    // A refused request (bad key, unknown model) says nothing of the server's health.
                    .when(failure -> reason(failure) != ChatFailure.REJECTED)
                    .done()
                .build();
    }

    /**
     * The endpoint's answer to {@code messages}, validated.
     *
     * @throws ChatException when every attempt failed; {@link ChatException#failure()} is the
     *     last attempt's reason
     */
    public JsonNode ask(List<ChatMessage> messages, double temperature, int maxTokens,
            long seed) {
        return reply(messages, temperature, maxTokens, seed).json();
    }

    /**
     * Like {@link #ask}, with the HTTP headers of the reply that gave the answer (e.g. the
     * {@code X-Policy-Version} of the rollout-service's API).
     */
    public JsonReply reply(List<ChatMessage> messages, double temperature, int maxTokens,
            long seed) {
        try {
            JsonReply answer = guard.call(() -> {
                stats.attempt();
                ChatReply reply = client.complete(messages, temperature, maxTokens, seed,
                        schema.responseFormat(mode));
                return new JsonReply(schema.parse(reply.content()), reply.headers());
            });
            stats.answer();
            return answer;
        } catch (Exception e) {
            ChatFailure reason = reason(e);
            stats.fail(reason);
            if (e instanceof ChatException chat) {
                throw chat;
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new ChatException(reason, describe(e), e);
        }
    }

    public ChatStats stats() {
        return stats;
    }

    public ChatEndpoint endpoint() {
        return client.endpoint();
    }

    public JsonAnswerSchema schema() {
        return schema;
    }

    /** What the guard's metrics are tagged with: the schema's name and the model asked. */
    public String guardDescription() {
        return schema.name() + "@" + client.endpoint().model();
    }

    private ChatFailure reason(Throwable failure) {
        if (failure instanceof ChatException chat) {
            return chat.failure();
        }
        if (failure instanceof TimeoutException) {
            return ChatFailure.TIMEOUT;
        }
        if (failure instanceof CircuitBreakerOpenException) {
            return ChatFailure.CIRCUIT_OPEN;
        }
        return ChatFailure.CONNECTION;
    }

    private String describe(Exception e) {
        if (e instanceof TimeoutException) {
            return "no answer from " + client.endpoint().chatCompletions() + " in time";
        }
        if (e instanceof CircuitBreakerOpenException) {
            return client.endpoint().chatCompletions() + " failed repeatedly; not asked again "
                    + "until the circuit breaker's delay has passed";
        }
        return String.valueOf(e);
    }
}
