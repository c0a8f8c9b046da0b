package ai.collectiveagency.rollout.api;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.kafka.quarkus.LocalKafkaTestResource;
import ai.collectiveagency.policy.Policy;
import ai.collectiveagency.rollout.serving.PolicyRunner;
import ai.collectiveagency.rollout.serving.ServedPolicy;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Who may call the API, and what the API port shows: bearer keys on every route (two keys at
 * once, as during a rotation), OpenAI's 401, health and metrics only on the management port,
 * the body size limit, a request id on every response, and a server failure answered without
 * its exception.
 */
@QuarkusTest
@WithTestResource(LocalKafkaTestResource.class)
class ApiAccessHttpTest {

    private static final String CHAT = "/v1/chat/completions";
    private static final Map<String, Object> HELLO = Map.of("max_tokens", 2,
            "messages", List.of(Map.of("role", "user", "content", "Hello")));

    @TestHTTPResource("/")
    URL url;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Inject
    PolicyRunner runner;

    private ApiClient as(String key) {
        return new ApiClient(URI.create(url.toString()), key);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/models", "/v1/models/qwen2-tiny-random", "/v1/nowhere",
            "/q/health"})
    void everyRouteWantsAKey(String path) {
        ApiClient.Answer answer = as(null).get(path);

        assertUnauthorized(answer);
        assertThat(answer.json().path("error").path("message").asText())
                .contains("didn't provide an API key");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer wrong", "Bearer test-key", "Bearer test-key-1x",
            "Bearer", "test-key-1", "Basic dGVzdC1rZXktMQ=="})
    void aWrongKeyIsRefused(String authorization) {
        ApiClient.Answer answer = ApiClient.withAuthorization(URI.create(url.toString()),
                authorization).post(CHAT, HELLO);

        assertUnauthorized(answer);
        assertThat(answer.json().path("error").path("message").asText())
                .contains("Incorrect API key");
    }

    @Test
    void eitherKeyOfARotationIsAccepted() {
        for (String key : List.of(ApiClient.KEY, ApiClient.OTHER_KEY)) {
            ApiClient.Answer answer = as(key).post(CHAT, HELLO);

            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            assertThat(answer.json().path("object").asText()).isEqualTo("chat.completion");
        }
    }

    @Test
    void healthAndMetricsAnswerOnTheManagementPortOnly() {
        ApiClient.Answer health = ApiClient.fetch(ready);
        ApiClient.Answer scraped = ApiClient.fetch(metrics);

        assertThat(health.status()).as(health.body()).isEqualTo(200);
        assertThat(health.json().path("status").asText()).isEqualTo("UP");
        assertThat(scraped.status()).isEqualTo(200);
        assertThat(scraped.body()).contains("rollout_api_requests_total");
        for (String path : List.of("/q/health", "/q/health/ready", "/q/metrics")) {
            ApiClient.Answer onApiPort = as(ApiClient.KEY).get(path);
            assertThat(onApiPort.status()).as(path).isEqualTo(404);
            assertThat(onApiPort.body()).doesNotContain("UP", "rollout_");
        }
    }

    @Test
    void aBodyOverTheLimitIsRefusedBeforeItIsRead() throws IOException {
        long declared = 3L * 1024 * 1024; // quarkus.http.limits.max-body-size is 2M
        String head = "POST " + CHAT + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + ApiClient.KEY + "\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + declared + "\r\n\r\n"
                + "{\"messages\": [";
        String response;
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            response = readAll(socket.getInputStream());
        }

        assertThat(response).startsWith("HTTP/1.1 413");
        String body = response.substring(response.indexOf("\r\n\r\n") + 4);
        JsonNode error = ApiClient.JSON.readTree(body).path("error");
        assertThat(error.path("code").asText()).isEqualTo("request_too_large");
        assertThat(error.path("message").asText()).contains("2097152 bytes");
    }

    @Test
    void everyResponseNamesItsRequest() {
        ApiClient.Answer ok = as(ApiClient.KEY).get("/v1/models");
        ApiClient.Answer refused = as(null).get("/v1/models");
        ApiClient.Answer missing = as(ApiClient.KEY).get("/v1/nowhere");

        assertThat(List.of(ok, refused, missing)).extracting(a -> a.header("X-Request-Id"))
                .allMatch(id -> id != null && id.matches("req_[0-9a-f]{32}"))
                .doesNotHaveDuplicates();
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().path("error").path("message").asText())
                .isEqualTo("Invalid URL (GET /v1/nowhere)");
    }

    @Test
    void aServerFailureNamesItsRequestIdAndNotItsException() throws Exception {
        // A model folder without a tokenizer fails on every text prompt, with a message that
        // names its path: the body must say only that the server failed, and where to look.
        Policy served = runner.current().policy();
        ApiClient.Answer answer;
        try (Policy broken = Policy.load(Path.of("..", "models", "stories260k"))) {
            runner.swap(old -> new ServedPolicy(broken, old.version(), old.modelName())).get();
            try {
                answer = as(ApiClient.KEY).post(CHAT, HELLO);
            } finally {
                runner.swap(old -> new ServedPolicy(served, old.version(), old.modelName()))
                        .get();
            }
        }

        assertThat(answer.status()).isEqualTo(500);
        JsonNode error = answer.json().path("error");
        assertThat(error.path("type").asText()).isEqualTo("server_error");
        assertThat(error.path("message").asText()).contains(answer.header("X-Request-Id"))
                .doesNotContain("tokenizer", "stories260k", "Exception", "java.");
        assertThat(answer.body()).doesNotContain("\tat ", "Exception");
    }

    private static void assertUnauthorized(ApiClient.Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(401);
        assertThat(answer.header("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(answer.header("X-Request-Id")).isNotBlank();
        JsonNode error = answer.json().path("error");
        assertThat(error.path("code").asText()).isEqualTo("invalid_api_key");
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
