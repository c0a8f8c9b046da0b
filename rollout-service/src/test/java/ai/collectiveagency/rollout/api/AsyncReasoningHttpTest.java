package ai.collectiveagency.rollout.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.collectiveagency.policy.sampling.GenerationCancelledException;
import ai.collectiveagency.policy.tokenizer.Message;
import ai.collectiveagency.rollout.serving.PolicyRunner;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.URL;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code /v1/chat/completions} with {@code "reasoning": {"mode": "async"}} over plain HTTP, on
 * {@code qwen3-tiny-random} with short prompts ({@link AsyncReasoningProfile}). The model is
 * random, so its yes/no check answers arbitrarily but deterministically: greedy on this
 * conversation, its first check (after 20 thinker tokens) says yes, so the writer starts while
 * the thinker has budget left, and the run ends with the writer's 12th token.
 */
@QuarkusTest
@TestProfile(AsyncReasoningProfile.class)
class AsyncReasoningHttpTest {

    private static final String PATH = "/v1/chat/completions";
    private static final int WRITER_TOKENS = 12;
    private static final int THINKER_TOKENS = 60;

    @TestHTTPResource("/")
    URL url;

    @Inject
    PolicyRunner runner;

    @Inject
    AsyncReasoning reasoning;

    private ApiClient api() {
        return new ApiClient(URI.create(url.toString()));
    }

    private static Map<String, Object> request(Object... extra) {
        Map<String, Object> body = new HashMap<>();
        body.put("messages", List.of(Map.of("role", "user", "content", "Say something.")));
        body.put("max_tokens", WRITER_TOKENS);
        body.put("temperature", 0);
        body.put("reasoning", Map.of("mode", "async", "max_reasoning_tokens", THINKER_TOKENS));
        for (int i = 0; i < extra.length; i += 2) {
            body.put((String) extra[i], extra[i + 1]);
        }
        return body;
    }

    @Test
    void theAnswerIsTheWritersTextAndTheReasoningTheThinkers() {
        ApiClient.Answer answer = api().post(PATH, request());

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode choice = answer.json().path("choices").get(0);
        assertThat(answer.json().path("choices")).hasSize(1);
        assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
        assertThat(choice.path("message").path("content").isTextual()).isTrue();
        assertThat(choice.path("message").path("content").asText()).isNotEmpty();
        assertThat(choice.path("message").path("reasoning_content").asText()).isNotEmpty();
        assertThat(choice.path("finish_reason").asText()).as("the writer's budget ended it")
                .isEqualTo("length");
        JsonNode usage = answer.json().path("usage");
        int reasoning = usage.path("completion_tokens_details").path("reasoning_tokens").asInt();
        assertThat(reasoning).as("the first check comes after 20 thinker tokens, and the writer"
                + " ends the run before the thinker's budget").isBetween(20, THINKER_TOKENS - 1);
        assertThat(usage.path("completion_tokens").asInt())
                .isEqualTo(WRITER_TOKENS + reasoning);
        assertThat(usage.path("total_tokens").asInt()).isEqualTo(
                usage.path("prompt_tokens").asInt() + usage.path("completion_tokens").asInt());

        JsonNode plain = api().post(PATH, Map.of("messages", List.of(Map.of("role", "user",
                "content", "Say something.")), "max_tokens", 3)).json();
        assertThat(plain.path("choices").get(0).path("message").has("reasoning_content"))
                .as("only with reasoning").isFalse();
        assertThat(plain.path("usage").has("completion_tokens_details")).isFalse();
    }

    @Test
    void streamedTheWritersFirstWordsArriveWhileTheThinkerStillThinks() {
        JsonNode whole = api().post(PATH, request()).json();
        ApiClient.Answer answer = api().post(PATH, request("stream", true,
                "stream_options", Map.of("include_usage", true)));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.contentType()).startsWith("text/event-stream");
        List<JsonNode> events = answer.events();
        assertThat(events.get(0).path("choices").get(0).path("delta").path("role").asText())
                .isEqualTo("assistant");
        List<String> order = new ArrayList<>();
        StringBuilder content = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        String finish = null;
        for (JsonNode event : events.subList(1, events.size() - 1)) {
            JsonNode choice = event.path("choices").get(0);
            JsonNode delta = choice.path("delta");
            if (delta.has("reasoning_content")) {
                assertThat(delta.has("content")).isFalse();
                order.add("reasoning");
                reasoning.append(delta.path("reasoning_content").asText());
            } else if (delta.has("content")) {
                order.add("content");
                content.append(delta.path("content").asText());
            }
            if (!choice.path("finish_reason").isNull()) {
                finish = choice.path("finish_reason").asText();
            }
        }
        assertThat(order.indexOf("content")).as("a content delta before the last reasoning"
                + " delta: the writer wrote before the thinker finished")
                .isGreaterThan(0).isLessThan(order.lastIndexOf("reasoning"));
        JsonNode message = whole.path("choices").get(0).path("message");
        assertThat(content.toString()).isEqualTo(message.path("content").asText());
        assertThat(reasoning.toString()).isEqualTo(message.path("reasoning_content").asText());
        assertThat(finish).isEqualTo("length");
        JsonNode usage = events.get(events.size() - 1).path("usage");
        assertThat(usage).isEqualTo(whole.path("usage"));
    }

    @Test
    void aClientThatLeavesStopsTheRunBetweenTwoSteps() {
        ReasoningJob job = new ReasoningJob(List.of(Message.user("Say something.")), 100,
                "max_tokens", 200, 0, 1, 0, true, null);
        ApiCall call = new ApiCall(System.nanoTime(), TimeUnit.MINUTES.toNanos(1));
        List<Delta> after = new ArrayList<>();
        StreamListener listener = new StreamListener() {
            @Override
            public void admitted(Admission admission) {
            }

            @Override
            public void released(int choice, Delta delta) {
                if (call.cancelled()) {
                    after.add(delta);
                } else if (!delta.reasoning()) { // what the end handler does on a disconnect
                    call.abandon(ApiCall.Stop.DISCONNECTED);
                }
            }
        };
        CompletableFuture<Sampled> run = runner.submit(PolicyRunner.Lane.API,
                served -> reasoning.run(served, job, call, listener));

        assertThatThrownBy(() -> run.get(60, TimeUnit.SECONDS))
                .hasCauseInstanceOf(GenerationCancelledException.class);
        assertThat(after).as("at most the deltas of the step under way").hasSizeLessThan(2);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"n\": 2}                                                  | n",
        "{\"reasoning\": {\"mode\": \"sync\"}}                           | reasoning.mode",
        "{\"reasoning\": {}}                                           | reasoning.mode",
        "{\"reasoning\": \"async\"}                                    | reasoning",
        "{\"reasoning\": {\"mode\": \"async\", \"effort\": \"high\"}}      | reasoning.effort",
        "{\"reasoning\": {\"mode\": \"async\", \"max_reasoning_tokens\": 451}} "
                + "| reasoning.max_reasoning_tokens",
        "{\"reasoning\": {\"mode\": \"async\", \"max_reasoning_tokens\": -1}} "
                + "| reasoning.max_reasoning_tokens",
        "{\"reasoning\": {\"mode\": \"async\", \"max_reasoning_tokens\": \"many\"}} "
                + "| reasoning.max_reasoning_tokens",
        "{\"logprobs\": true}                                          | logprobs",
        "{\"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"f\"}}]} | tools",
        "{\"stop\": \"x\"}                                               | stop",
        "{\"temperature\": 3}                                          | temperature",
    })
    void whatOneAsynchronousRunCannotDoIsRefusedNamingTheField(String extra, String param)
            throws Exception {
        Map<String, Object> body = request();
        JsonNode fields = ApiClient.JSON.readTree(extra);
        fields.fieldNames().forEachRemaining(name -> body.put(name,
                ApiClient.JSON.convertValue(fields.get(name), Object.class)));

        ApiClient.Answer answer = api().post(PATH, body);

        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        JsonNode error = answer.json().path("error");
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.path("param").asText()).isEqualTo(param);
        assertThat(error.path("message").asText()).contains(param);
    }

    @Test
    void budgetsBeyondTheContextAreRefusedBeforeDecoding() {
        ApiClient.Answer answer = api().post(PATH, request("max_tokens", 200, "reasoning",
                Map.of("mode", "async", "max_reasoning_tokens", 400)));

        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        JsonNode error = answer.json().path("error");
        assertThat(error.path("code").asText()).isEqualTo("context_length_exceeded");
        assertThat(error.path("param").asText()).isEqualTo("max_tokens");
        assertThat(error.path("message").asText()).contains("512").contains("400")
                .contains("reasoning.max_reasoning_tokens");
    }
}
