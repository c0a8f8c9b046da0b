package ai.collectiveagency.rollout.api;

import static ai.collectiveagency.rollout.api.ChatCompletionsHttpTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.kafka.quarkus.LocalKafkaTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests built to exhaust the server (issue 12's attacks): each is a 400 naming the
 * parameter, before anything costs the model, with no exception text, and the server answers
 * the next request as before.
 */
@QuarkusTest
@WithTestResource(LocalKafkaTestResource.class)
class ApiLimitsHttpTest {

    @TestHTTPResource("/")
    URL url;

    private ApiClient api() {
        return new ApiClient(URI.create(url.toString()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // n * prompts overflowed int and the worker built ~4 billion sequences
            "{\"prompt\":[\"a\",\"a\",\"a\",\"a\"],\"n\":1073741824,\"max_tokens\":1} | n",
            // the budget allocated arrays of 2^31 and the answer was an OutOfMemoryError
            "{\"prompt\":[\"a\",\"a\",\"a\",\"a\"],\"n\":1073741824,\"max_tokens\":2147483647} | n",
            "{\"prompt\":\"a\",\"max_tokens\":2147483647} | max_tokens"})
    void theIssuesOverflowRequestsAreRefusedNamingTheParameter(String body, String param) {
        ApiClient.Answer answer = api().post("/v1/completions", body);

        assertError(answer, 400, param, "invalid_value");
        assertThat(answer.body()).doesNotContain("Exception", "java.", "Error:", "\tat ");
        ApiClient.Answer next = api().post("/v1/completions",
                Map.of("prompt", "The negotiation began when", "max_tokens", 4));
        assertThat(next.status()).as(next.body()).isEqualTo(200);
    }

    static Stream<Arguments> oversized() {
        Map<String, Object> user = Map.of("role", "user", "content", "hi");
        return Stream.of(
                Arguments.of("/v1/chat/completions",
                        Map.of("messages", Collections.nCopies(1025, user)), "messages"),
                Arguments.of("/v1/chat/completions", Map.of("messages", List.of(user),
                        "stop", "x".repeat(257)), "stop"),
                Arguments.of("/v1/completions",
                        Map.of("prompt", Collections.nCopies(65, "a")), "prompt"),
                Arguments.of("/v1/completions", Map.of("prompt", List.of("a", "b", "c", "d", "e"),
                        "n", 13), "n"),
                Arguments.of("/v1/chat/completions", Map.of("messages", List.of(user),
                        "max_completion_tokens", 256), "max_completion_tokens"));
    }

    @ParameterizedTest
    @MethodSource("oversized")
    void aSizeOverTheLimitIsRefusedNamingIt(String path, Map<String, Object> body,
            String param) {
        assertError(api().post(path, body), 400, param, "invalid_value");
    }

    @Test
    void aWrongValueIsNamedWithoutBeingQuoted() {
        ApiClient.Answer typed = api().post("/v1/chat/completions",
                "{\"messages\": [], \"n\": \"secret-text\"}");
        ApiClient.Answer broken = api().post("/v1/chat/completions",
                "{\"messages\": secret-text}");

        assertError(typed, 400, "n", "invalid_type");
        assertThat(typed.json().path("error").path("message").asText())
                .isEqualTo("Invalid type or value for 'n' (expected an integer)");
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.json().path("error").path("code").asText()).isEqualTo("invalid_json");
        assertThat(typed.body() + broken.body()).doesNotContain("secret");
    }
}
