package ai.collectiveagency.prompts.messaging;

import static ai.collectiveagency.llm.ScriptedChatServer.answer;
import static ai.collectiveagency.llm.ScriptedChatServer.status;
import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.kafka.quarkus.LocalKafkaTestResource;
import ai.collectiveagency.llm.ScriptedChatServer;
import ai.collectiveagency.prompts.llm.TaskAnswers;
import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.schemas.ProvenanceSource;
import ai.collectiveagency.schemas.kafka.PromptTaskDeserializer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The service with half its tasks written by a model, against a real HTTP server that answers in
 * the OpenAI format and a real broker. The server's script: a valid task; prose three times (the
 * task is dropped as invalid_json after two retries); a 500 then three more valid tasks; then
 * 503 for ever (tasks dropped as http_status until the circuit opens). The LLM tasks arrive, the
 * combinatorial half keeps flowing through the outage, and the drops are counted by reason.
 */
@QuarkusTest
@WithTestResource(LocalKafkaTestResource.class)
@TestProfile(LlmSourceServiceTest.HalfLlm.class)
class LlmSourceServiceTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final int MAX_TASKS = 60;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "mp.messaging.outgoing." + Channels.PROMPTS + ".topic")
    String topic;

    @TestHTTPResource(value = "/metrics", management = true)
    URI metrics;

    @Test
    void llmTasksFlowInvalidAnswersAreDroppedWithACountedReasonAndNothingCrashes()
            throws Exception {
        List<PromptTask> tasks = consume(MAX_TASKS);

        List<PromptTask> written = tasks.stream()
                .filter(t -> t.getProvenance().getSource() == ProvenanceSource.LLM).toList();
        assertThat(written).extracting(t -> t.getScenario().getDomain())
                .containsExactly("farming", "healthcare", "education", "technology");
        assertThat(written).allSatisfy(t -> {
            assertThat(t.getTaskId()).startsWith("llm-");
            assertThat(t.getProvenance().getModel()).isEqualTo("scripted-writer");
        });
        assertThat(tasks).hasSize(MAX_TASKS);
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(metrics).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(counter(body, "prompts_llm_dropped_total", "invalid_json")).isEqualTo(1);
        assertThat(counter(body, "prompts_llm_retries_total", "invalid_json")).isEqualTo(2);
        assertThat(counter(body, "prompts_llm_retries_total", "http_status")).isPositive();
        assertThat(counter(body, "prompts_llm_dropped_total", "http_status")
                + counter(body, "prompts_llm_dropped_total", "circuit_open")).isPositive();
        assertThat(counter(body, "prompts_llm_answered_total", null)).isEqualTo(4);
    }

    private static double counter(String metrics, String name, String reason) {
        String labels = reason == null ? "(?:\\{[^}]*})?" : "\\{[^}]*reason=\"" + reason + "\"[^}]*}";
        Matcher m = Pattern.compile("(?m)^" + name + labels + " (\\S+)$").matcher(metrics);
        assertThat(m.find()).as(name + " " + reason + " in /q/metrics").isTrue();
        return Double.parseDouble(m.group(1));
    }

    private List<PromptTask> consume(int count) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "llm-source-test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<PromptTask> tasks = new ArrayList<>();
        try (KafkaConsumer<String, PromptTask> consumer = new KafkaConsumer<>(
                props, new StringDeserializer(), new PromptTaskDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (tasks.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> tasks.add(r.value()));
            }
        }
        tasks.sort(java.util.Comparator.comparingLong(
                t -> Long.parseLong(t.getTaskId().substring(t.getTaskId().lastIndexOf('-') + 1))));
        return tasks;
    }

    /** Half the tasks from the scripted model, fast retries, a small circuit window. */
    public static final class HalfLlm implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(
                    Map.entry("prompts.max-tasks", String.valueOf(MAX_TASKS)),
                    Map.entry("prompts.rate", "50"),
                    Map.entry("prompts.llm.share", "0.5"),
                    Map.entry("prompts.llm.model", "scripted-writer"),
                    Map.entry("prompts.llm.timeout", "2s"),
                    Map.entry("prompts.llm.max-retries", "2"),
                    Map.entry("prompts.llm.retry-delay", "10ms"),
                    Map.entry("prompts.llm.circuit-window", "6"),
                    Map.entry("prompts.llm.circuit-failure-ratio", "0.9"),
                    Map.entry("prompts.llm.circuit-delay", "60s"));
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ScriptedWriter.class));
        }
    }

    /** The scripted OpenAI-format server, its base URL handed to the service. */
    public static final class ScriptedWriter implements QuarkusTestResourceLifecycleManager {

        private ScriptedChatServer server;

        @Override
        public Map<String, String> start() {
            try {
                server = new ScriptedChatServer();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.then(answer(TaskAnswers.valid(0)),
                    answer(TaskAnswers.prose()), answer(TaskAnswers.prose()),
                    answer(TaskAnswers.prose()),
                    status(500, "{\"error\":{\"message\":\"internal\"}}"),
                    answer(TaskAnswers.valid(1)), answer(TaskAnswers.valid(2)),
                    answer(TaskAnswers.valid(3)),
                    status(503, "{\"error\":{\"message\":\"overloaded\"}}"));
            return Map.of("prompts.llm.base-url", server.baseUrl().toString());
        }

        @Override
        public void stop() {
            if (server != null) {
                server.close();
            }
        }
    }
}
