package ai.collectiveagency.rollout.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.collectiveagency.kafka.quarkus.LocalKafkaTestResource;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiLanguageModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.output.Response;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The API through a real OpenAI client library, LangChain4j's OpenAI module: chat, streaming
 * chat, legacy completions, and an unknown model surfacing as the library's own exception.
 */
@QuarkusTest
@WithTestResource(LocalKafkaTestResource.class)
class OpenAiClientTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @TestHTTPResource("/v1")
    URL url;

    private String model() {
        return new ApiClient(URI.create(url.toString() + "/")).get("/v1/models").json()
                .path("data").get(0).path("id").asText();
    }

    private OpenAiChatModel chat(String model) {
        return OpenAiChatModel.builder().baseUrl(url.toString()).apiKey(ApiClient.KEY)
                .modelName(model).maxTokens(6).temperature(0.7).seed(11).timeout(TIMEOUT)
                .maxRetries(0).build();
    }

    @Test
    void aChatCompletionAnswers() {
        ChatResponse response = chat(model()).chat(ChatRequest.builder()
                .messages(UserMessage.from("Hello, who are you?")).build());

        assertThat(response.aiMessage().text()).isNotNull();
        assertThat(response.tokenUsage().outputTokenCount()).isBetween(1, 6);
        assertThat(response.tokenUsage().inputTokenCount()).isPositive();
        assertThat(response.finishReason()).isNotNull();
        assertThat(response.metadata().modelName()).isEqualTo(model());
    }

    @Test
    void aStreamedChatCompletionArrivesInParts() throws Exception {
        OpenAiStreamingChatModel streaming = OpenAiStreamingChatModel.builder()
                .baseUrl(url.toString()).apiKey(ApiClient.KEY).modelName(model()).maxTokens(6)
                .temperature(0.7).seed(11).timeout(TIMEOUT).build();
        StringBuilder parts = new StringBuilder();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();

        streaming.chat("Hello, who are you?", new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                parts.append(partial);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });

        ChatResponse response = done.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(response.aiMessage().text()).isEqualTo(parts.toString());
        assertThat(response.tokenUsage().outputTokenCount()).isBetween(1, 6);
        String whole = chat(model()).chat("Hello, who are you?");
        assertThat(parts.toString()).isEqualTo(whole);
    }

    @Test
    void aLegacyCompletionAnswers() {
        OpenAiLanguageModel completions = OpenAiLanguageModel.builder().baseUrl(url.toString())
                .apiKey(ApiClient.KEY).modelName(model()).temperature(0.7).timeout(TIMEOUT).build();

        Response<String> response = completions.generate("Once upon a time");

        assertThat(response.content()).isNotNull();
        assertThat(response.tokenUsage().outputTokenCount()).isPositive();
    }

    @Test
    void anUnknownModelSurfacesAsModelNotFound() {
        assertThatThrownBy(() -> chat("gpt-nonexistent").chat("Hello"))
                .isInstanceOf(ModelNotFoundException.class)
                .hasMessageContaining("gpt-nonexistent");
    }
}
