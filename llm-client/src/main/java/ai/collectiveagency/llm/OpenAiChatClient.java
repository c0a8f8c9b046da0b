package ai.collectiveagency.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One call to an OpenAI-compatible {@code /chat/completions}: the request as JSON, the first
 * choice's message content back. Every failure becomes a {@link ChatException} naming its
 * {@link ChatFailure}; retries and timeouts belong to {@link JsonChat}.
 *
 * <p>Written over the JDK's {@link HttpClient} rather than a framework REST client so that the
 * same code runs inside the Quarkus services and in the command-line tools.
 */
public final class OpenAiChatClient {

    /** Longest part of an error body kept in a message. */
    private static final int BODY_EXCERPT = 300;

    private final ChatEndpoint endpoint;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    public OpenAiChatClient(ChatEndpoint endpoint, Duration connectTimeout) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.http = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    public ChatEndpoint endpoint() {
        return endpoint;
    }

    /**
     * The model's answer to {@code messages}, with the reply's HTTP headers.
     *
     * @param responseFormat the {@code response_format} object, or null to send none
     * @param seed sent as {@code seed} (servers that honour it answer reproducibly)
     * @throws ChatException on an HTTP error, a broken connection, or a reply without content
     */
    public ChatReply complete(List<ChatMessage> messages, double temperature, int maxTokens,
            long seed, ObjectNode responseFormat) throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.chatCompletions())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        body(messages, temperature, maxTokens, seed, responseFormat)));
        endpoint.apiKey().ifPresent(key -> request.header("Authorization", "Bearer " + key));
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new ChatException(ChatFailure.TIMEOUT, endpoint.chatCompletions() + ": " + e, e);
        } catch (ConnectException e) {
            throw new ChatException(ChatFailure.CONNECTION,
                    "cannot connect to " + endpoint.chatCompletions() + ": " + e, e);
        } catch (IOException e) {
            throw new ChatException(ChatFailure.CONNECTION,
                    endpoint.chatCompletions() + ": " + e, e);
        }
        return new ChatReply(content(response), response.headers());
    }

    private String body(List<ChatMessage> messages, double temperature, int maxTokens, long seed,
            ObjectNode responseFormat) {
        ObjectNode body = json.createObjectNode();
        body.put("model", endpoint.model());
        ArrayNode list = body.putArray("messages");
        for (ChatMessage message : messages) {
            list.addObject().put("role", message.role()).put("content", message.content());
        }
        body.put("temperature", temperature);
        body.put("max_tokens", maxTokens);
        body.put("seed", seed);
        if (responseFormat != null) {
            body.set("response_format", responseFormat);
        }
        return body.toString();
    }

    private String content(HttpResponse<String> response) {
        int status = response.statusCode();
        if (status / 100 != 2) {
            ChatFailure failure = status == 408 || status == 429 || status >= 500
                    ? ChatFailure.HTTP_STATUS : ChatFailure.REJECTED;
            throw new ChatException(failure, "HTTP " + status + " from "
                    + endpoint.chatCompletions() + ": " + excerpt(response.body()));
        }
        JsonNode reply;
        try {
            reply = json.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new ChatException(ChatFailure.MALFORMED_REPLY,
                    "reply is not JSON: " + excerpt(response.body()), e);
        }
        JsonNode content = reply.path("choices").path(0).path("message").path("content");
        if (!content.isTextual()) {
            throw new ChatException(ChatFailure.MALFORMED_REPLY,
                    "reply has no choices[0].message.content: " + excerpt(response.body()));
        }
        return content.asText();
    }

    private static String excerpt(String body) {
        String flat = body.replaceAll("\\s+", " ").strip();
        return flat.length() <= BODY_EXCERPT ? flat : flat.substring(0, BODY_EXCERPT) + "...";
    }
}
