package ai.collectiveagency.llm;

import static ai.collectiveagency.llm.ScriptedChatServer.answer;
import static ai.collectiveagency.llm.ScriptedChatServer.slowAnswer;
import static ai.collectiveagency.llm.ScriptedChatServer.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JsonChatTest {

    static final JsonAnswerSchema VERDICT = JsonAnswerSchema.of("verdict", """
            {"type": "object",
             "properties": {"score": {"type": "integer", "minimum": 0, "maximum": 5},
                            "reason": {"type": "string"}},
             "required": ["score", "reason"], "additionalProperties": false}
            """);
    static final List<ChatMessage> QUESTION =
            List.of(ChatMessage.system("Answer in JSON."), ChatMessage.user("Rate it."));
    static final String VALID = "{\"score\": 4, \"reason\": \"fair to both\"}";

    ScriptedChatServer server;

    @BeforeEach
    void start() throws Exception {
        server = new ScriptedChatServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    JsonChat chat(ChatGuard guard) {
        ChatEndpoint endpoint = new ChatEndpoint(server.baseUrl(), "judge-model",
                Optional.of("sk-test"));
        return new JsonChat(new OpenAiChatClient(endpoint, Duration.ofSeconds(2)), VERDICT,
                JsonMode.SCHEMA, guard);
    }

    static ChatGuard quick(int maxRetries) {
        return new ChatGuard(Duration.ofMillis(1500), maxRetries, Duration.ofMillis(10), 20, 0.9,
                Duration.ofSeconds(30));
    }

    @Test
    void validAnswerIsParsedAndTheRequestIsOpenAiShaped() throws Exception {
        server.then(answer(VALID));

        JsonNode verdict = chat(quick(2)).ask(QUESTION, 0.2, 100, 42);

        assertThat(verdict.get("score").asInt()).isEqualTo(4);
        JsonNode request = new ObjectMapper().readTree(server.bodies().get(0));
        assertThat(request.get("model").asText()).isEqualTo("judge-model");
        assertThat(request.get("messages")).hasSize(2);
        assertThat(request.at("/messages/1/content").asText()).isEqualTo("Rate it.");
        assertThat(request.get("seed").asLong()).isEqualTo(42);
        assertThat(request.at("/response_format/type").asText()).isEqualTo("json_schema");
        assertThat(request.at("/response_format/json_schema/schema/required"))
                .hasToString("[\"score\",\"reason\"]");
        assertThat(server.headers().get(0).get("Authorization")).containsExactly("Bearer sk-test");
    }

    @Test
    void invalidJsonIsRetriedUntilAValidAnswer() {
        server.then(answer("Sure! Here is my verdict: score 4"), answer(VALID));
        JsonChat chat = chat(quick(2));

        assertThat(chat.ask(QUESTION, 0.2, 100, 1).get("reason").asText())
                .isEqualTo("fair to both");
        assertThat(chat.stats().retried(ChatFailure.INVALID_JSON)).isEqualTo(1);
        assertThat(chat.stats().attempts()).isEqualTo(2);
        assertThat(chat.stats().answered()).isEqualTo(1);
    }

    @Test
    void answersThatNeverMatchTheSchemaFailAfterTheRetriesWithTheReasonCounted() {
        server.then(answer("{\"score\": 9, \"reason\": \"too high\"}"));
        JsonChat chat = chat(quick(2));

        assertThatThrownBy(() -> chat.ask(QUESTION, 0.2, 100, 1))
                .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.failure())
                        .isEqualTo(ChatFailure.SCHEMA_VIOLATION))
                .hasMessageContaining("/score");
        assertThat(server.bodies()).hasSize(3);
        assertThat(chat.stats().failed(ChatFailure.SCHEMA_VIOLATION)).isEqualTo(1);
        assertThat(chat.stats().retried(ChatFailure.SCHEMA_VIOLATION)).isEqualTo(2);
    }

    @Test
    void serverErrorsAreRetried() {
        server.then(status(500, "{\"error\":{\"message\":\"overloaded\"}}"),
                status(503, "busy"), answer(VALID));
        JsonChat chat = chat(quick(2));

        assertThat(chat.ask(QUESTION, 0.2, 100, 1).get("score").asInt()).isEqualTo(4);
        assertThat(chat.stats().retried(ChatFailure.HTTP_STATUS)).isEqualTo(2);
    }

    @Test
    void aSlowAnswerTimesOutAndTheRetryIsAnswered() {
        server.then(slowAnswer(VALID, Duration.ofSeconds(3)), answer(VALID));
        JsonChat chat = chat(quick(1));

        long start = System.nanoTime();
        assertThat(chat.ask(QUESTION, 0.2, 100, 1).get("score").asInt()).isEqualTo(4);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(chat.stats().retried(ChatFailure.TIMEOUT)).isEqualTo(1);
    }

    @Test
    void aRefusedRequestIsNotRetried() {
        server.then(status(401, "{\"error\":{\"message\":\"bad key\"}}"));
        JsonChat chat = chat(quick(3));

        assertThatThrownBy(() -> chat.ask(QUESTION, 0.2, 100, 1))
                .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.failure())
                        .isEqualTo(ChatFailure.REJECTED))
                .hasMessageContaining("401").hasMessageContaining("bad key");
        assertThat(server.bodies()).hasSize(1);
    }

    @Test
    void aLongOutageOpensTheCircuitAndLaterRequestsAreNotSent() {
        server.then(status(500, "down"));
        JsonChat chat = chat(new ChatGuard(Duration.ofMillis(1500), 0, Duration.ZERO, 4, 0.5,
                Duration.ofMinutes(1)));

        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> chat.ask(QUESTION, 0.2, 100, 1))
                    .isInstanceOf(ChatException.class);
        }

        assertThat(server.bodies()).hasSize(4);
        assertThat(chat.stats().failed(ChatFailure.HTTP_STATUS)).isEqualTo(4);
        assertThat(chat.stats().failed(ChatFailure.CIRCUIT_OPEN)).isEqualTo(6);
    }

    @Test
    void anUnreachableEndpointIsAConnectionFailure() {
        ChatEndpoint nowhere = new ChatEndpoint(URI.create("http://127.0.0.1:1/v1"), "m",
                Optional.empty());
        JsonChat chat = new JsonChat(new OpenAiChatClient(nowhere, Duration.ofSeconds(1)),
                VERDICT, JsonMode.SCHEMA, quick(1));

        assertThatThrownBy(() -> chat.ask(QUESTION, 0.2, 100, 1))
                .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.failure())
                        .isEqualTo(ChatFailure.CONNECTION))
                .hasMessageContaining("127.0.0.1:1");
    }

    @Test
    void aReplyThatIsNoChatCompletionIsMalformed() {
        server.then(status(200, "{\"object\":\"list\",\"data\":[]}"));
        JsonChat chat = chat(quick(0));

        assertThatThrownBy(() -> chat.ask(QUESTION, 0.2, 100, 1))
                .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.failure())
                        .isEqualTo(ChatFailure.MALFORMED_REPLY));
    }
}
