package ai.collectiveagency.prompts.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.kafka.LocalKafka;
import ai.collectiveagency.prompts.combinatorial.CombinatorialConfig;
import ai.collectiveagency.prompts.combinatorial.CombinatorialSource;
import ai.collectiveagency.prompts.seeds.SeedLists;
import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.schemas.kafka.PromptTaskDeserializer;
import ai.collectiveagency.schemas.kafka.PromptTaskSerializer;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A restart of a run: before the service starts, the topic already holds tasks 0 to 41 of its
 * seed (7) and a task of another run (seed 8). The service carries on at task 42, so no task id
 * reaches the topic twice.
 */
@QuarkusTest
@WithTestResource(ResumeAfterRestartTest.EarlierRun.class)
@TestProfile(ResumeAfterRestartTest.TwentyMore.class)
class ResumeAfterRestartTest {

    private static final int SENT_BEFORE = 42;
    private static final int MORE = 20;
    private static final String TOPIC = TopicCatalogue.defaults().name(LogicalTopic.PROMPTS);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void aRestartedRunCarriesOnAfterItsLastTaskAndRepeatsNoId() {
        List<String> ids = consumeIds(SENT_BEFORE + 1 + MORE);

        assertThat(ids).hasSize(SENT_BEFORE + 1 + MORE).doesNotHaveDuplicates();
        List<Long> newIndices = ids.stream().filter(id -> id.startsWith("comb-7-"))
                .map(id -> Long.parseLong(id.substring("comb-7-".length())))
                .filter(i -> i >= SENT_BEFORE).sorted().toList();
        assertThat(newIndices).hasSize(MORE);
        assertThat(newIndices.get(0)).isEqualTo(SENT_BEFORE);
    }

    private List<String> consumeIds(int count) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "resume-test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> ids = new ArrayList<>();
        try (KafkaConsumer<String, PromptTask> consumer = new KafkaConsumer<>(
                props, new StringDeserializer(), new PromptTaskDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (ids.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> ids.add(r.key()));
            }
            // Anything beyond the expected count would be a task sent twice or too many.
            consumer.poll(Duration.ofSeconds(1)).forEach(r -> ids.add(r.key()));
        }
        return ids;
    }

    /** Twenty more tasks of seed 7, resuming on. */
    public static final class TwentyMore implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("prompts.seed", "7", "prompts.max-tasks", String.valueOf(MORE),
                    "prompts.resume", "true");
        }
    }

    /** A broker whose prompts topic holds an earlier run's tasks before the service starts. */
    public static final class EarlierRun implements QuarkusTestResourceLifecycleManager {

        private LocalKafka kafka;

        @Override
        public Map<String, String> start() {
            kafka = LocalKafka.startTemporary();
            Map<String, Object> config = Map.of("bootstrap.servers", kafka.bootstrapServers());
            try (KafkaProducer<String, PromptTask> producer = new KafkaProducer<>(config,
                    new StringSerializer(), new PromptTaskSerializer())) {
                CombinatorialSource earlier = new CombinatorialSource(SeedLists.shipped(),
                        CombinatorialConfig.defaults(7, Instant.EPOCH));
                earlier.tasks(SENT_BEFORE).forEach(task -> producer.send(
                        new ProducerRecord<>(TOPIC, task.getTaskId(), task)));
                PromptTask otherRun = new CombinatorialSource(SeedLists.shipped(),
                        CombinatorialConfig.defaults(8, Instant.EPOCH)).task(500);
                producer.send(new ProducerRecord<>(TOPIC, otherRun.getTaskId(), otherRun));
            }
            return Map.of("kafka.bootstrap.servers", kafka.bootstrapServers());
        }

        @Override
        public void stop() {
            if (kafka != null) {
                kafka.close();
            }
        }
    }
}
