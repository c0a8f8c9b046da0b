package ai.collectiveagency.prompts.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.kafka.quarkus.LocalKafkaTestResource;
import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.schemas.ProvenanceSource;
import ai.collectiveagency.schemas.TaskMode;
import ai.collectiveagency.schemas.kafka.PromptTaskDeserializer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The service against a real in-process broker, with the {@code %test} profile's settings: 200
 * tasks at 50 per second, seed 7, half of them NEGOTIATION.
 */
@QuarkusTest
@WithTestResource(LocalKafkaTestResource.class)
class PromptServiceTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "mp.messaging.outgoing." + Channels.PROMPTS + ".topic")
    String topic;

    @ConfigProperty(name = "prompts.max-tasks")
    long maxTasks;

    @ConfigProperty(name = "prompts.negotiation-share")
    double negotiationShare;

    @TestHTTPResource(value = "/health/ready", management = true)
    URI ready;

    @TestHTTPResource(value = "/metrics", management = true)
    URI metrics;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void tasksArriveKeyedByTaskIdAndDecodableWithTheConfiguredModeMix() {
        List<ConsumerRecord<String, PromptTask>> records = consume(maxTasks);

        assertThat(records).hasSize((int) maxTasks);
        assertThat(records).allSatisfy(r -> {
            assertThat(r.key()).isEqualTo(r.value().getTaskId());
            assertThat(r.value().getProvenance().getSource())
                    .isEqualTo(ProvenanceSource.COMBINATORIAL);
        });
        assertThat(records).extracting(ConsumerRecord::key).doesNotHaveDuplicates();
        double negotiation = records.stream()
                .filter(r -> r.value().getMode() == TaskMode.NEGOTIATION).count()
                / (double) records.size();
        assertThat(negotiation).isBetween(negotiationShare - 0.12, negotiationShare + 0.12);
    }

    @Test
    void readinessIsUpWhileTheBrokerIsReachable() throws Exception {
        HttpResponse<String> response = pollUntil(ready, r -> r.statusCode() == 200);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\": \"UP\"");
    }

    @Test
    void metricsCountTheProducedTasksAndTheDroppedDuplicates() throws Exception {
        Pattern produced = Pattern.compile("(?m)^prompts_produced_total(?:\\{[^}]*})? (\\S+)$");
        HttpResponse<String> response = pollUntil(metrics, r -> {
            Matcher m = produced.matcher(r.body());
            return m.find() && Double.parseDouble(m.group(1)) > 0;
        });

        Matcher m = produced.matcher(response.body());
        assertThat(m.find()).as("prompts_produced_total in /q/metrics").isTrue();
        assertThat(Double.parseDouble(m.group(1))).isPositive();
        assertThat(response.body()).containsPattern("(?m)^prompts_duplicates_dropped_total");
    }

    private List<ConsumerRecord<String, PromptTask>> consume(long count) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "prompt-service-test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, PromptTask>> records = new ArrayList<>();
        try (KafkaConsumer<String, PromptTask> consumer = new KafkaConsumer<>(
                props, new StringDeserializer(), new PromptTaskDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private HttpResponse<String> pollUntil(URI uri,
            java.util.function.Predicate<HttpResponse<String>> done)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        HttpResponse<String> response;
        do {
            response = http.send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (done.test(response)) {
                return response;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        return response;
    }
}
