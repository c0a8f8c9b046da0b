package ai.collectiveagency.rollout.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.kafka.quarkus.LocalKafkaTestResource;
import ai.collectiveagency.policy.Policy;
import ai.collectiveagency.policy.tokenizer.Message;
import ai.collectiveagency.selfplay.TeacherForcing;
import ai.collectiveagency.selfplay.TestTasks;
import ai.collectiveagency.rollout.serving.PolicyRunner;
import ai.collectiveagency.rollout.serving.ServedPolicy;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code /v1/chat/completions} over plain HTTP with {@code qwen2-tiny-random}: choices, seeds,
 * stop strings, log-probs the policy library recomputes, streaming, OpenAI-style errors, the
 * answering version, and requests queued FIFO on the policy worker.
 */
@QuarkusTest
@WithTestResource(LocalKafkaTestResource.class)
class ChatCompletionsHttpTest {

    private static final String PATH = "/v1/chat/completions";
    private static final String QUESTION = "Say something.";

    @TestHTTPResource("/")
    URL url;

    @Inject
    PolicyRunner runner;

    private ApiClient api() {
        return client();
    }

    private static Map<String, Object> request(Object... extra) {
        Map<String, Object> body = new HashMap<>();
        body.put("messages", List.of(Map.of("role", "user", "content", QUESTION)));
        body.put("max_tokens", 6);
        for (int i = 0; i < extra.length; i += 2) {
            body.put((String) extra[i], extra[i + 1]);
        }
        return body;
    }

    @Test
    void nChoicesWithUsageIdsAndTheAnsweringVersion() throws Exception {
        ApiClient.Answer answer = api().post(PATH, request("n", 3, "seed", 5));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.policyVersion()).isEqualTo("0");
        JsonNode json = answer.json();
        assertThat(json.path("object").asText()).isEqualTo("chat.completion");
        assertThat(json.path("id").asText()).startsWith("chatcmpl-");
        assertThat(json.path("created").asLong()).isPositive();
        assertThat(json.path("policy_version").asLong()).isZero();
        assertThat(json.path("choices")).hasSize(3);
        int completionTokens = 0;
        for (int i = 0; i < 3; i++) {
            JsonNode choice = json.path("choices").get(i);
            assertThat(choice.path("index").asInt()).isEqualTo(i);
            assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
            assertThat(choice.path("finish_reason").asText()).isIn("stop", "length");
            assertThat(choice.path("logprobs").isNull()).isTrue();
        }
        JsonNode usage = json.path("usage");
        assertThat(usage.path("prompt_tokens").asInt()).isPositive();
        assertThat(usage.path("completion_tokens").asInt()).isBetween(3, 18);
        assertThat(usage.path("total_tokens").asInt()).isEqualTo(
                usage.path("prompt_tokens").asInt() + usage.path("completion_tokens").asInt());
    }

    @Test
    void aRequestWaitsItsTurnBehindEarlierPolicyJobs() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Boolean> earlier = runner.submit(p -> await(release));
        CompletableFuture<ApiClient.Answer> answer = CompletableFuture.supplyAsync(
                () -> client().post(PATH, request()));

        Thread.sleep(300);
        assertThat(answer).isNotDone();
        release.countDown();

        assertThat(answer.get(60, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(earlier.get()).isTrue();
    }

    @Test
    void theAnswerNamesThePolicyVersionThatGaveIt() throws Exception {
        runner.swap(old -> new ServedPolicy(old.policy(), 7, old.modelName())).get();
        try {
            ApiClient.Answer answer = api().post(PATH, request());

            assertThat(answer.policyVersion()).isEqualTo("7");
            assertThat(answer.json().path("policy_version").asLong()).isEqualTo(7);
            assertThat(api().get("/v1/models").json().path("data").get(0)
                    .path("policy_version").asLong()).isEqualTo(7);
        } finally {
            runner.swap(old -> new ServedPolicy(old.policy(), 0, old.modelName())).get();
        }
    }

    private static boolean await(CountDownLatch latch) {
        try {
            return latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private ApiClient client() {
        return new ApiClient(URI.create(url.toString()));
    }

    @Test
    void theSameSeedGivesTheSameText() throws Exception {
        Map<String, Object> body = request("n", 2, "seed", 42, "temperature", 1.0);
        JsonNode first = api().post(PATH, body).json();
        JsonNode second = api().post(PATH, body).json();

        assertThat(texts(second)).isEqualTo(texts(first));
    }

    @ParameterizedTest
    @CsvSource({"0.7", "0"})
    void logprobsAreWhatThePolicyLibraryRecomputes(double temperature) throws Exception {
        JsonNode json = api().post(PATH, request("temperature", temperature, "seed", 3,
                "max_tokens", 8, "logprobs", true, "top_logprobs", 0, "return_token_ids", true))
                .json();

        JsonNode choice = json.path("choices").get(0);
        int[] prompt = ints(choice.path("prompt_token_ids"));
        int[] completion = ints(choice.path("token_ids"));
        JsonNode content = choice.path("logprobs").path("content");
        assertThat(content.size()).isPositive().isLessThanOrEqualTo(completion.length);
        try (Policy policy = Policy.load(TestTasks.MODEL)) {
            assertThat(prompt).containsExactly(policy.encodeChat(List.of(Message.user(QUESTION))));
            float[] expected = TeacherForcing.logprobs(policy.model(), prompt, completion,
                    temperature == 0 ? 1.0 : temperature);
            StringBuilder text = new StringBuilder();
            for (int t = 0; t < content.size(); t++) {
                JsonNode token = content.get(t);
                assertThat(token.path("logprob").floatValue()).isCloseTo(expected[t],
                        within(1e-4f));
                assertThat(token.path("top_logprobs")).isEmpty();
                text.append(token.path("token").asText());
            }
            assertThat(text.toString()).isEqualTo(choice.path("message").path("content").asText());
        }
    }

    @ParameterizedTest
    @CsvSource({"0, 5", "0.7, 3"})
    void topLogprobsListTheLikeliestTokensFirst(double temperature, int top) throws Exception {
        JsonNode content = api().post(PATH, request("temperature", temperature, "seed", 8,
                "logprobs", true, "top_logprobs", top)).json()
                .path("choices").get(0).path("logprobs").path("content");

        assertThat(content.size()).isPositive();
        for (JsonNode token : content) {
            JsonNode alternatives = token.path("top_logprobs");
            assertThat(alternatives).hasSize(top);
            List<Double> values = new ArrayList<>();
            alternatives.forEach(a -> values.add(a.path("logprob").asDouble()));
            assertThat(values).isSortedAccordingTo((a, b) -> Double.compare(b, a))
                    .allMatch(v -> v <= 0);
            assertThat(token.path("logprob").asDouble()).isLessThanOrEqualTo(values.get(0) + 1e-4);
            if (temperature == 0) {
                assertThat(values.get(0)).isCloseTo(token.path("logprob").asDouble(),
                        within(1e-4));
            }
        }
    }

    @Test
    void aStopStringEndsTheTextBeforeIt() throws Exception {
        JsonNode free = api().post(PATH, request("temperature", 0, "max_tokens", 8,
                "logprobs", true)).json().path("choices").get(0);
        String text = free.path("message").path("content").asText();
        JsonNode tokens = free.path("logprobs").path("content");
        assertThat(tokens.size()).as("greedy tokens of " + text).isGreaterThanOrEqualTo(3);
        String stop = tokens.get(2).path("token").asText();
        assertThat(stop).isNotEmpty();

        JsonNode stopped = api().post(PATH, request("temperature", 0, "max_tokens", 8,
                "stop", List.of(stop, "never-generated-xyz"))).json().path("choices").get(0);

        assertThat(stopped.path("message").path("content").asText())
                .isEqualTo(text.substring(0, text.indexOf(stop)));
        assertThat(stopped.path("finish_reason").asText()).isEqualTo("stop");
    }

    @Test
    void aStreamIsServerSentChunksThatAddUpToTheAnswer() throws Exception {
        Map<String, Object> body = request("seed", 9, "max_tokens", 6);
        String whole = api().post(PATH, body).json().path("choices").get(0)
                .path("message").path("content").asText();
        body.put("stream", true);
        body.put("stream_options", Map.of("include_usage", true));

        ApiClient.Answer answer = api().post(PATH, body);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).startsWith("text/event-stream");
        assertThat(answer.policyVersion()).isEqualTo("0");
        List<JsonNode> events = answer.events();
        StringBuilder text = new StringBuilder();
        List<String> finishes = new ArrayList<>();
        for (JsonNode event : events) {
            assertThat(event.path("object").asText()).isEqualTo("chat.completion.chunk");
            for (JsonNode choice : event.path("choices")) {
                text.append(choice.path("delta").path("content").asText(""));
                if (!choice.path("finish_reason").isNull()) {
                    finishes.add(choice.path("finish_reason").asText());
                }
            }
        }
        assertThat(text.toString()).isEqualTo(whole);
        assertThat(finishes).hasSize(1);
        assertThat(events.get(0).path("choices").get(0).path("delta").path("role").asText())
                .isEqualTo("assistant");
        JsonNode last = events.get(events.size() - 1);
        assertThat(last.path("choices")).isEmpty();
        assertThat(last.path("usage").path("completion_tokens").asInt()).isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "{\"messages\": [", "{\"model\": \"m\",}", ""})
    void malformedJsonIsA400(String body) throws Exception {
        ApiClient.Answer answer = api().post(PATH, body);

        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        JsonNode error = answer.json().path("error");
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.path("code").asText()).isEqualTo("invalid_json");
        assertThat(error.path("message").asText()).startsWith("We could not parse the JSON");
    }

    @Test
    void aValueOfTheWrongTypeNamesItsParameter() throws Exception {
        ApiClient.Answer answer = api().post(PATH, "{\"messages\": [], \"n\": \"many\"}");

        assertError(answer, 400, "n", "invalid_type");
    }

    @Test
    void aPromptAndBudgetBeyondTheContextIsRefused() throws Exception {
        ApiClient.Answer answer = api().post(PATH, request("max_tokens", 250));

        assertError(answer, 400, "max_tokens", "context_length_exceeded");
        assertThat(answer.json().path("error").path("message").asText()).contains("256");
    }

    @ParameterizedTest
    @CsvSource({"temperature, 2.5", "temperature, -1", "top_p, 0", "n, 17", "n, 0",
            "max_tokens, 0", "max_tokens, 256", "top_logprobs, 21"})
    void anInvalidValueIsA400NamingIt(String param, double value) throws Exception {
        Object number = param.equals("temperature") || param.equals("top_p") ? value
                : (Object) (int) value;
        ApiClient.Answer answer = api().post(PATH, request(param, number));

        assertError(answer, 400, param, "invalid_value");
    }

    @Test
    void noMessagesIsA400() throws Exception {
        ApiClient.Answer answer = api().post(PATH, Map.of("messages", List.of()));

        assertError(answer, 400, "messages", "invalid_value");
    }

    @Test
    void anUnknownModelIsA404() throws Exception {
        ApiClient.Answer answer = api().post(PATH, request("model", "gpt-none"));

        assertError(answer, 404, "model", "model_not_found");
    }

    static void assertError(ApiClient.Answer answer, int status, String param, String code) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        JsonNode error = answer.json().path("error");
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.has("param")).isTrue();
        assertThat(error.path("param").isNull() ? null : error.path("param").asText())
                .isEqualTo(param);
        assertThat(error.path("code").asText()).isEqualTo(code);
    }

    private static List<String> texts(JsonNode json) {
        List<String> texts = new ArrayList<>();
        json.path("choices").forEach(c -> texts.add(c.path("message").path("content").asText()));
        return texts;
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }
}
