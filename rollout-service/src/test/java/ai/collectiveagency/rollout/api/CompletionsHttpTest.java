package ai.collectiveagency.rollout.api;

import static ai.collectiveagency.rollout.api.ChatCompletionsHttpTest.assertError;
import static ai.collectiveagency.rollout.api.ChatCompletionsHttpTest.ints;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.kafka.quarkus.LocalKafkaTestResource;
import ai.collectiveagency.policy.Policy;
import ai.collectiveagency.selfplay.TeacherForcing;
import ai.collectiveagency.selfplay.TestTasks;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code /v1/completions} and {@code /v1/models} over plain HTTP: the legacy log-probs object
 * (tokens, token_logprobs, text_offset) against the policy library's recomputation, several
 * prompts, streaming, refused options.
 */
@QuarkusTest
@WithTestResource(LocalKafkaTestResource.class)
class CompletionsHttpTest {

    private static final String PATH = "/v1/completions";
    private static final String PROMPT = "The negotiation began when";

    @TestHTTPResource("/")
    URL url;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    private ApiClient api() throws Exception {
        return new ApiClient(URI.create(url.toString()));
    }

    @Test
    void logprobsListEachTokenWithItsOffsetAndTheRecomputedLogprob() throws Exception {
        ApiClient.Answer answer = api().post(PATH, Map.of("prompt", PROMPT, "max_tokens", 8,
                "temperature", 0.8, "seed", 21, "logprobs", 0, "return_token_ids", true));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode json = answer.json();
        assertThat(json.path("object").asText()).isEqualTo("text_completion");
        assertThat(json.path("id").asText()).startsWith("cmpl-");
        assertThat(json.path("policy_version").asLong()).isZero();
        JsonNode choice = json.path("choices").get(0);
        JsonNode logprobs = choice.path("logprobs");
        JsonNode tokens = logprobs.path("tokens");
        JsonNode values = logprobs.path("token_logprobs");
        JsonNode offsets = logprobs.path("text_offset");
        assertThat(tokens.size()).isPositive();
        assertThat(values.size()).isEqualTo(tokens.size());
        assertThat(offsets.size()).isEqualTo(tokens.size());
        assertThat(logprobs.path("top_logprobs").isNull()).isTrue();
        String text = choice.path("text").asText();
        StringBuilder joined = new StringBuilder();
        for (int t = 0; t < tokens.size(); t++) {
            assertThat(offsets.get(t).asInt()).isEqualTo(joined.length());
            joined.append(tokens.get(t).asText());
        }
        assertThat(joined.toString()).isEqualTo(text);

        int[] prompt = ints(choice.path("prompt_token_ids"));
        int[] completion = ints(choice.path("token_ids"));
        assertThat(json.path("usage").path("completion_tokens").asInt())
                .isEqualTo(completion.length);
        try (Policy policy = Policy.load(TestTasks.MODEL)) {
            assertThat(prompt).containsExactly(policy.encode(PROMPT));
            float[] expected = TeacherForcing.logprobs(policy.model(), prompt, completion, 0.8);
            for (int t = 0; t < values.size(); t++) {
                assertThat(values.get(t).floatValue()).isCloseTo(expected[t], within(1e-4f));
            }
        }
    }

    @Test
    void runtimeLoraRoutesAreNotThereUnlessTurnedOn() throws Exception {
        assertError(api().post("/v1/load_lora_adapter", Map.of("lora_name", "a",
                "lora_path", "b")), 404, null, "unknown_url");
        assertError(api().post("/v1/unload_lora_adapter", Map.of("lora_name", "a")), 404, null,
                "unknown_url");
    }

    @Test
    void topLogprobsMapTheLikeliestTokensToTheirLogprobs() throws Exception {
        JsonNode logprobs = api().post(PATH, Map.of("prompt", PROMPT, "max_tokens", 5,
                "temperature", 0, "logprobs", 3)).json().path("choices").get(0).path("logprobs");

        JsonNode top = logprobs.path("top_logprobs");
        assertThat(top.size()).isPositive().isEqualTo(logprobs.path("tokens").size());
        for (int t = 0; t < top.size(); t++) {
            List<Double> values = new ArrayList<>();
            top.get(t).forEach(v -> values.add(v.asDouble()));
            assertThat(values).hasSizeBetween(1, 3)
                    .isSortedAccordingTo((a, b) -> Double.compare(b, a));
            assertThat(values.get(0)).isCloseTo(
                    logprobs.path("token_logprobs").get(t).asDouble(), within(1e-4));
        }
    }

    @Test
    void severalPromptsGetNChoicesEach() throws Exception {
        JsonNode json = api().post(PATH, Map.of("prompt", List.of("One", "Two"), "n", 2,
                "max_tokens", 4)).json();

        assertThat(json.path("choices")).hasSize(4);
        assertThat(json.path("choices")).extracting(c -> c.path("index").asInt())
                .containsExactly(0, 1, 2, 3);
        assertThat(json.path("choices").get(0).path("logprobs").isNull()).isTrue();
    }

    @Test
    void aStreamAddsUpToTheCompletion() throws Exception {
        Map<String, Object> body = Map.of("prompt", PROMPT, "max_tokens", 6, "seed", 4);
        String whole = api().post(PATH, body).json().path("choices").get(0).path("text").asText();

        ApiClient.Answer answer = api().post(PATH, Map.of("prompt", PROMPT, "max_tokens", 6,
                "seed", 4, "stream", true, "logprobs", 1));

        StringBuilder text = new StringBuilder();
        int finishes = 0;
        for (JsonNode event : answer.events()) {
            assertThat(event.path("object").asText()).isEqualTo("text_completion");
            JsonNode choice = event.path("choices").get(0);
            text.append(choice.path("text").asText());
            finishes += choice.path("finish_reason").isNull() ? 0 : 1;
        }
        assertThat(text.toString()).isEqualTo(whole);
        assertThat(finishes).isOne();
    }

    @Test
    void echoIsRefused() throws Exception {
        assertError(api().post(PATH, Map.of("prompt", PROMPT, "echo", true)), 400, "echo",
                "invalid_value");
    }

    @Test
    void aTooLongPromptIsRefused() throws Exception {
        ApiClient.Answer answer = api().post(PATH, Map.of("prompt", "word ".repeat(300)));

        assertError(answer, 400, "max_tokens", "context_length_exceeded");
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 2})
    void aStreamAddsUpToTheAnswerAndNeverShowsWhatAStopStringCuts(int logprobs)
            throws Exception {
        // A stop string that begins inside one token and ends in the next: the stream must
        // hold the first token's end back until the next one shows whether the text is cut.
        JsonNode tokens = api().post(PATH, Map.of("prompt", PROMPT, "max_tokens", 10,
                "temperature", 0, "logprobs", 0)).json().path("choices").get(0)
                .path("logprobs").path("tokens");
        int k = 1;
        while (tokens.get(k).asText().isEmpty() || tokens.get(k + 1).asText().isEmpty()) {
            k++;
        }
        String before = tokens.get(k).asText();
        String stop = before.substring(before.length() - 1) + tokens.get(k + 1).asText()
                .charAt(0);
        Map<String, Object> body = new HashMap<>(Map.of("prompt", List.of(PROMPT, "Two"),
                "n", 2, "max_tokens", 10, "temperature", 0, "stop", List.of(stop),
                "return_token_ids", true));
        if (logprobs >= 0) {
            body.put("logprobs", logprobs);
        }
        JsonNode whole = api().post(PATH, body).json().path("choices");
        body.put("stream", true);

        List<JsonNode> events = api().post(PATH, body).events();

        assertThat(whole.get(0).path("finish_reason").asText()).isEqualTo("stop");
        for (int i = 0; i < whole.size(); i++) {
            StringBuilder text = new StringBuilder();
            List<Integer> ids = new ArrayList<>();
            List<String> pieces = new ArrayList<>();
            List<String> finishes = new ArrayList<>();
            for (JsonNode event : events) {
                JsonNode choice = event.path("choices").path(0);
                if (choice.path("index").asInt(-1) != i) {
                    continue;
                }
                text.append(choice.path("text").asText());
                choice.path("token_ids").forEach(id -> ids.add(id.asInt()));
                choice.path("logprobs").path("tokens").forEach(t -> pieces.add(t.asText()));
                if (!choice.path("finish_reason").isNull()) {
                    finishes.add(choice.path("finish_reason").asText());
                }
            }
            JsonNode expected = whole.get(i);
            assertThat(text.toString()).isEqualTo(expected.path("text").asText());
            assertThat(ids).containsExactly(Arrays.stream(ints(expected.path("token_ids")))
                    .boxed().toArray(Integer[]::new));
            assertThat(finishes).containsExactly(expected.path("finish_reason").asText());
            List<String> unstreamed = new ArrayList<>();
            expected.path("logprobs").path("tokens").forEach(t -> unstreamed.add(t.asText()));
            assertThat(pieces).isEqualTo(unstreamed);
        }
    }

    @Test
    void modelsListTheServedModelAndItsVersion() throws Exception {
        ApiClient.Answer answer = api().get("/v1/models");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.policyVersion()).isEqualTo("0");
        JsonNode model = answer.json().path("data").get(0);
        assertThat(answer.json().path("object").asText()).isEqualTo("list");
        assertThat(model.path("object").asText()).isEqualTo("model");
        assertThat(model.path("policy_version").asLong()).isZero();
        String id = model.path("id").asText();
        assertThat(api().get("/v1/models/" + id).json().path("id").asText()).isEqualTo(id);
        assertThat(api().get("/v1/models/nope").status()).isEqualTo(404);
    }

    @Test
    void requestsTokensAndLatencyAreMetered() throws Exception {
        api().post(PATH, Map.of("prompt", PROMPT, "max_tokens", 2));
        api().post(PATH, Map.of("prompt", PROMPT, "temperature", 9));

        String scraped = ApiClient.fetch(metrics).body();

        assertThat(scraped).contains(
                "rollout_api_requests_total{endpoint=\"completions\",status=\"200\"}",
                "rollout_api_requests_total{endpoint=\"completions\",status=\"400\"}",
                "rollout_api_generated_tokens_total{endpoint=\"completions\"}",
                "rollout_api_request_duration_seconds_count{endpoint=\"completions\"}");
    }
}
