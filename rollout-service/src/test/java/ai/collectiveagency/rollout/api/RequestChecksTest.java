package ai.collectiveagency.rollout.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.collectiveagency.rollout.api.ChatCompletionRequest.ChatMessage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The request checks without a model: defaults, seeds, and what is refused with which param. */
class RequestChecksTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final RequestChecks.Limits LIMITS = new RequestChecks.Limits(16, 64, 256);

    @Test
    void nNearTheIntLimitTimesThePromptsIsRefusedWithoutOverflow() {
        CompletionRequest request = new CompletionRequest(null, prompts("a", "a", "a", "a"),
                1073741824, null, null, 1, null, null, null, null, null, null, null, null, null,
                null, null);

        assertThatThrownBy(() -> RequestChecks.completion(request,
                new RequestChecks.Limits(Integer.MAX_VALUE, 64, 256)))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.body().error().param()).isEqualTo("n"));
    }

    static JsonNode prompts(String... texts) {
        var array = NODES.arrayNode();
        for (String text : texts) {
            array.add(text);
        }
        return array;
    }

    private static ChatCompletionRequest chat(JsonNode content, List<String> stop, Long seed,
            Integer n, Integer maxTokens, Integer maxCompletionTokens) {
        return new ChatCompletionRequest(null, List.of(new ChatMessage("user", content)), n,
                null, null, maxTokens, maxCompletionTokens, stop, seed, null, null, null, null,
                null, null, null, null);
    }

    @Test
    void defaultsAreOpenAisAndTheSeedFixesEveryChoice() {
        GenerationJob job = RequestChecks.chat(chat(NODES.textNode("hi"), null, 7L, 3, null,
                null), LIMITS);

        assertThat(job.n()).isEqualTo(3);
        assertThat(job.temperature()).isEqualTo(1.0);
        assertThat(job.topP()).isEqualTo(1.0);
        assertThat(job.maxTokens()).isNull();
        assertThat(job.stops()).isEmpty();
        assertThat(job.seeds()).hasSize(3).doesNotHaveDuplicates()
                .containsExactly(RequestChecks.seeds(7L, 3));
    }

    @Test
    void maxCompletionTokensWinsOverMaxTokens() {
        assertThat(RequestChecks.chat(chat(NODES.textNode("hi"), null, null, null, 50, 5), LIMITS)
                .maxTokens()).isEqualTo(5);
    }

    @Test
    void textPartsAreJoined() {
        JsonNode parts = NODES.arrayNode()
                .add(NODES.objectNode().put("type", "text").put("text", "a"))
                .add(NODES.objectNode().put("type", "text").put("text", "b"));

        assertThat(RequestChecks.chat(chat(parts, null, null, null, null, null), LIMITS).prompts())
                .hasSize(1);
    }

    @Test
    void anImagePartIsRefused() {
        JsonNode parts = NODES.arrayNode().add(NODES.objectNode().put("type", "image_url"));

        assertThatThrownBy(() -> RequestChecks.chat(chat(parts, null, null, null, null, null), LIMITS))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.body().error().param()).isEqualTo("messages[0].content"));
    }

    @Test
    void moreThanFourStopStringsAreRefused() {
        assertThatThrownBy(() -> RequestChecks.chat(chat(NODES.textNode("hi"),
                List.of("a", "b", "c", "d", "e"), null, null, null, null), LIMITS))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.body().error().param()).isEqualTo("stop"));
    }

    @Test
    void theChoiceLimitCountsEveryPrompt() {
        CompletionRequest request = new CompletionRequest(null, prompts("a", "b", "c"), 3, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null);

        assertThatThrownBy(() -> RequestChecks.completion(request,
                new RequestChecks.Limits(16, 8, 256)))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.body().error().param()).isEqualTo("n"));
        assertThat(RequestChecks.completion(request, new RequestChecks.Limits(16, 9, 256))
                .seeds()).hasSize(9);
    }
}
