package ai.collectiveagency.evaluation.service;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.schemas.EvalResult;
import ai.collectiveagency.schemas.kafka.MetricsEventDeserializer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The service on a real broker, three signed checkpoints already announced when it starts: it
 * evaluates the newest (version 3) against the base model, one result per set and decoding, on
 * the metrics topic, and commits the announcements it handled in its own group.
 */
@QuarkusTest
@WithTestResource(AnnouncingKafkaResource.class)
class EvaluationServiceTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void theNewestAnnouncedCheckpointIsEvaluatedAgainstTheBaseModel() throws Exception {
        List<EvalResult> results = results(4, Duration.ofMinutes(4));

        assertThat(results).extracting(r -> r.getEvalSet() + " " + r.getDecoding())
                .containsExactlyInAnyOrder("short-negotiation-v1 greedy",
                        "short-negotiation-v1 sampled", "short-open-ended-v1 greedy",
                        "short-open-ended-v1 sampled");
        assertThat(results).allSatisfy(result -> {
            assertThat(result.getEvaluation()).isEqualTo("win-rate");
            assertThat(result.getPolicyVersion()).as("the newest wins").isEqualTo(3);
            assertThat(result.getAgainst()).isEqualTo("base");
            assertThat(result.getSampleCount()).isEqualTo(2);
            Map<String, Double> m = result.getMetrics();
            assertThat(m.get("ci_low")).isBetween(0.0, m.get("win_rate"));
            assertThat(m.get("ci_high")).isBetween(m.get("win_rate"), 1.0);
        });
        assertThat(committed()).as("the group's offset is past every announcement")
                .isEqualTo(3);
    }

    private List<EvalResult> results(int count, Duration timeout) {
        List<EvalResult> results = new ArrayList<>();
        try (KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new MetricsEventDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(
                    AnnouncingKafkaResource.METRICS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (results.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, SpecificRecord> record
                        : consumer.poll(Duration.ofMillis(500))) {
                    if (record.value() instanceof EvalResult result) {
                        results.add(result);
                    }
                }
            }
        }
        return results;
    }

    private long committed() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            long sum = 0;
            while (System.nanoTime() < deadline) {
                Map<TopicPartition, OffsetAndMetadata> offsets = admin
                        .listConsumerGroupOffsets("evaluation-service")
                        .partitionsToOffsetAndMetadata().get();
                sum = offsets.entrySet().stream()
                        .filter(e -> e.getKey().topic().equals(AnnouncingKafkaResource.CHECKPOINTS))
                        .mapToLong(e -> e.getValue().offset()).sum();
                if (sum >= 3) {
                    return sum;
                }
                Thread.sleep(200);
            }
            return sum;
        }
    }
}
