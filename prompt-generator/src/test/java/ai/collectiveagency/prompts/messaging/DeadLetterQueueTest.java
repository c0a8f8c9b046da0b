package ai.collectiveagency.prompts.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.kafka.quarkus.LocalKafkaTestResource;
import ai.collectiveagency.schemas.Persona;
import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.schemas.Provenance;
import ai.collectiveagency.schemas.ProvenanceSource;
import ai.collectiveagency.schemas.Scenario;
import ai.collectiveagency.schemas.TaskMode;
import ai.collectiveagency.schemas.kafka.PromptTaskSerializer;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The audit consumer against the real in-process broker: a record that does not decode and a task
 * that breaks an invariant both end on the DLQ with their reason; sound tasks are counted. Runs
 * on a broker of its own ({@link OwnBroker}), so its bad records reach no other test's topic.
 */
@QuarkusTest
@WithTestResource(LocalKafkaTestResource.class)
@TestProfile(DeadLetterQueueTest.OwnBroker.class)
class DeadLetterQueueTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "mp.messaging.incoming." + Channels.PROMPTS_AUDIT + ".topic")
    String topic;

    @ConfigProperty(name = "mp.messaging.incoming." + Channels.PROMPTS_AUDIT
            + ".dead-letter-queue.topic")
    String dlqTopic;

    @ConfigProperty(name = "prompts.max-tasks")
    long maxTasks;

    @Inject
    MeterRegistry registry;

    @Test
    void undecodableRecordAndUnsoundTaskEndOnTheDlqWithTheirReasonAndSoundTasksAreCounted()
            throws Exception {
        String runId = UUID.randomUUID().toString();
        String garbageKey = "garbage-" + runId;
        PromptTask unsound = task("unsound-" + runId, List.of("honesty"), List.of("honesty"));
        PromptTask sound = task("sound-" + runId, List.of("honesty"), List.of("loyalty"));
        try (KafkaProducer<String, byte[]> producer = producer()) {
            PromptTaskSerializer serializer = new PromptTaskSerializer();
            producer.send(new ProducerRecord<>(topic, garbageKey,
                    "not avro at all".getBytes(StandardCharsets.UTF_8))).get();
            producer.send(new ProducerRecord<>(topic, unsound.getTaskId(),
                    serializer.serialize(topic, unsound))).get();
            producer.send(new ProducerRecord<>(topic, sound.getTaskId(),
                    serializer.serialize(topic, sound))).get();
        }

        Map<String, ConsumerRecord<String, byte[]>> dead =
                consumeDlq(List.of(garbageKey, unsound.getTaskId()));

        assertThat(dead).containsOnlyKeys(garbageKey, unsound.getTaskId());
        assertThat(header(dead.get(garbageKey), "dead-letter-reason"))
                .contains("not a single-object encoded PromptTask");
        assertThat(dead.get(garbageKey).value())
                .isEqualTo("not avro at all".getBytes(StandardCharsets.UTF_8));
        assertThat(header(dead.get(unsound.getTaskId()), "dead-letter-reason"))
                .contains("same values");
        assertThat(header(dead.get(unsound.getTaskId()), "dead-letter-topic")).isEqualTo(topic);
        assertThat(awaitAudited(maxTasks + 1)).isEqualTo(maxTasks + 1);
        assertThat(registry.get("prompts.audit.rejected").counter().count()).isEqualTo(1.0);
    }

    /** The default test settings, as a profile of its own: a fresh application and broker. */
    public static class OwnBroker implements QuarkusTestProfile {
    }

    private double awaitAudited(double expected) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        double audited;
        do {
            audited = registry.find("prompts.audited").counters().stream()
                    .mapToDouble(c -> c.count()).sum();
            Thread.sleep(200);
        } while (audited < expected && System.nanoTime() < deadline);
        return audited;
    }

    private KafkaProducer<String, byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    private Map<String, ConsumerRecord<String, byte[]>> consumeDlq(List<String> keys) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(dlqTopic));
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (records.stream().filter(r -> keys.contains(r.key())).count() < keys.size()
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records.stream().collect(Collectors.toMap(ConsumerRecord::key, Function.identity()));
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static PromptTask task(String id, List<String> valuesA, List<String> valuesB) {
        return PromptTask.newBuilder()
                .setTaskId(id)
                .setCreatedAt(Instant.parse("2026-01-02T03:04:05Z"))
                .setMode(TaskMode.SINGLE)
                .setScenario(Scenario.newBuilder().setTitle("The river")
                        .setDescription("Two farms share one river in a dry summer.")
                        .setDomain("water").setValueConflict("honesty vs. loyalty").build())
                .setPersonaA(persona("Ana", valuesA))
                .setPersonaB(persona("Ben", valuesB))
                .setSeed(1L)
                .setProvenance(Provenance.newBuilder().setSource(ProvenanceSource.COMBINATORIAL)
                        .setGeneratorVersion("test").setModel(null).build())
                .setHeldOut(false)
                .build();
    }

    private static Persona persona(String name, List<String> values) {
        return Persona.newBuilder().setName(name).setRole("farmer").setValues(values)
                .setGoals(List.of("keep the farm")).setConstraints(List.of()).build();
    }
}
