package ai.collectiveagency.prompts.llm;

import static ai.collectiveagency.llm.ScriptedChatServer.answer;
import static ai.collectiveagency.llm.ScriptedChatServer.slowAnswer;
import static ai.collectiveagency.llm.ScriptedChatServer.status;
import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.llm.ChatEndpoint;
import ai.collectiveagency.llm.ChatFailure;
import ai.collectiveagency.llm.ChatGuard;
import ai.collectiveagency.llm.JsonChat;
import ai.collectiveagency.llm.JsonMode;
import ai.collectiveagency.llm.OpenAiChatClient;
import ai.collectiveagency.llm.ScriptedChatServer;
import ai.collectiveagency.prompts.combinatorial.CombinatorialConfig;
import ai.collectiveagency.prompts.seeds.SeedLists;
import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.schemas.ProvenanceSource;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The LLM task source against a real HTTP server that answers in the OpenAI format. */
class LlmTaskSourceTest {

    ScriptedChatServer server;
    LlmTaskSource source;

    @BeforeEach
    void start() throws Exception {
        server = new ScriptedChatServer();
        JsonChat chat = new JsonChat(
                new OpenAiChatClient(new ChatEndpoint(server.baseUrl(), "writer-7b",
                        Optional.empty()), Duration.ofSeconds(2)),
                LlmTaskSource.schema(), JsonMode.SCHEMA,
                new ChatGuard(Duration.ofMillis(1500), 2, Duration.ofMillis(5), 50, 0.9,
                        Duration.ofSeconds(30)));
        source = new LlmTaskSource(chat, SeedLists.shipped(),
                new CombinatorialConfig(7, 1.0, 0.0, Instant.EPOCH), 0.9, 1500);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aValidAnswerBecomesATaskWithLlmProvenance() throws Exception {
        server.then(answer(TaskAnswers.valid(1)));

        PromptTask task = source.task(3).orElseThrow();

        assertThat(task.getTaskId()).isEqualTo("llm-7-3");
        assertThat(task.getScenario().getTitle()).isEqualTo("Night shifts at the clinic");
        assertThat(task.getScenario().getValueConflict()).isEqualTo("access vs. safety");
        assertThat(task.getPersonaA().getName()).isEqualTo("Dr. Lena Berg");
        assertThat(task.getPersonaA().getValues()).startsWith("access");
        assertThat(task.getPersonaB().getValues()).startsWith("safety");
        assertThat(task.getProvenance().getSource()).isEqualTo(ProvenanceSource.LLM);
        assertThat(task.getProvenance().getModel()).isEqualTo("writer-7b");
        assertThat(task.getTags()).contains("domain:healthcare");
        JsonNode request = new ObjectMapper().readTree(server.bodies().get(0));
        assertThat(request.get("temperature").asDouble()).isEqualTo(0.9);
        assertThat(request.at("/messages/0/content").asText()).contains("\"persona_a\"");
        assertThat(request.at("/messages/1/content").asText()).contains("Area of life: ");
    }

    @Test
    void theThemeAndTheSeedOfARequestDependOnlyOnTheIndex() throws Exception {
        server.then(answer(TaskAnswers.valid(0)));

        source.task(5);
        source.task(6);
        source.task(5);

        JsonNode first = new ObjectMapper().readTree(server.bodies().get(0));
        JsonNode other = new ObjectMapper().readTree(server.bodies().get(1));
        JsonNode again = new ObjectMapper().readTree(server.bodies().get(2));
        assertThat(again.get("messages")).isEqualTo(first.get("messages"));
        assertThat(again.get("seed")).isEqualTo(first.get("seed"));
        assertThat(other.get("seed")).isNotEqualTo(first.get("seed"));
    }

    @Test
    void invalidJsonAndAMissingFieldAreRetriedThenTheValidAnswerIsUsed() {
        server.then(answer(TaskAnswers.prose()), answer(TaskAnswers.missingGoals()),
                answer(TaskAnswers.valid(2)));

        assertThat(source.task(0)).hasValueSatisfying(task ->
                assertThat(task.getScenario().getDomain()).isEqualTo("education"));
        assertThat(source.chat().stats().retried(ChatFailure.INVALID_JSON)).isEqualTo(1);
        assertThat(source.chat().stats().retried(ChatFailure.SCHEMA_VIOLATION)).isEqualTo(1);
    }

    @Test
    void aTaskWhoseEveryAnswerIsInvalidIsDroppedAndCounted() {
        server.then(answer(TaskAnswers.prose()));

        assertThat(source.task(0)).isEmpty();
        assertThat(server.bodies()).hasSize(3);
        assertThat(source.chat().stats().failed(ChatFailure.INVALID_JSON)).isEqualTo(1);
    }

    @Test
    void serverErrorsAndTimeoutsAreRetriedAndNothingCrashes() {
        server.then(status(500, "{\"error\":{\"message\":\"internal\"}}"),
                slowAnswer(TaskAnswers.valid(3), Duration.ofSeconds(3)),
                answer(TaskAnswers.valid(3)));

        assertThat(source.task(0)).hasValueSatisfying(task ->
                assertThat(task.getScenario().getDomain()).isEqualTo("technology"));
        assertThat(source.chat().stats().retried(ChatFailure.HTTP_STATUS)).isEqualTo(1);
        assertThat(source.chat().stats().retried(ChatFailure.TIMEOUT)).isEqualTo(1);

        server.then(status(503, "overloaded"));
        assertThat(source.task(1)).isEmpty();
        assertThat(source.chat().stats().failed(ChatFailure.HTTP_STATUS)).isEqualTo(1);
    }
}
