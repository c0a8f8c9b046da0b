package ai.collectiveagency.kafka.stage;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.kafka.LocalKafka;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.health.WorkerWatch;
import ai.collectiveagency.schemas.kafka.DeadLetters;
import ai.collectiveagency.schemas.kafka.KafkaClientSettings;
import ai.collectiveagency.schemas.kafka.stage.BatchHandler;
import ai.collectiveagency.schemas.kafka.stage.Input;
import ai.collectiveagency.schemas.kafka.stage.Outcome;
import ai.collectiveagency.schemas.kafka.stage.StageClients;
import ai.collectiveagency.schemas.kafka.stage.StageConfig;
import ai.collectiveagency.schemas.kafka.stage.StageListener;
import ai.collectiveagency.schemas.kafka.stage.StageThread;
import ai.collectiveagency.schemas.kafka.stage.TransactionalStage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A transactional stage on the real local broker: every input ends either as a result or as a
 * dead letter with its reason, exactly once, the batch's offsets committed with them, and one
 * bad input never takes the others of its batch with it.
 */
class TransactionalStageTest {

    private static LocalKafka kafka;
    private static KafkaClientSettings settings;
    private static String in;
    private static String out;
    private static String dlq;

    @BeforeAll
    static void start() {
        kafka = LocalKafka.startTemporary();
        settings = KafkaClientSettings.plaintext(kafka.bootstrapServers());
        in = kafka.catalogue().name(LogicalTopic.PROMPTS);
        out = kafka.catalogue().name(LogicalTopic.ROLLOUTS);
        dlq = kafka.catalogue().dlqName(LogicalTopic.PROMPTS);
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    @Test
    void eachInputEndsOnceAsAResultOrADeadLetterWithItsReason() throws Exception {
        Map<String, Integer> attempts = new ConcurrentHashMap<>();
        BatchHandler<String> upperCase = batch -> {
            List<Outcome> outcomes = new ArrayList<>();
            for (Input<String> input : batch) {
                int attempt = attempts.merge(input.key(), 1, Integer::sum);
                if (input.value().equals("always fails")
                        || input.value().equals("fails once") && attempt == 1) {
                    outcomes.add(new Outcome.Failed(new IllegalStateException("model error")));
                } else {
                    outcomes.add(Outcome.Emit.of(new ProducerRecord<>(out, input.key(),
                            input.value().toUpperCase().getBytes(StandardCharsets.UTF_8))));
                }
            }
            return outcomes;
        };
        send(List.of(record("a", "first"), record("tomb", null), record("bad", "undecodable"),
                record("fail", "always fails"), record("flaky", "fails once"),
                record("b", "last")));

        WorkerWatch watch = new WorkerWatch("test-stage", Duration.ofMinutes(1));
        StageConfig config = new StageConfig(in, "stage-test", "stage-test-0", dlq, 8,
                Duration.ofMillis(300), 3, Duration.ofMillis(50), Duration.ofMinutes(5),
                Duration.ofSeconds(30), 1 << 20, settings);
        try (StageThread running = StageThread.start(new TransactionalStage<>(config,
                StageClients.consumer(config, "stage-test-in"),
                StageClients.producer(config, "stage-test-out"), new Strict(), upperCase,
                new StageListener() { }, watch),
                "stage-test", Duration.ofSeconds(10))) {
            Map<String, String> results = readAll(out, 3);
            Map<String, ConsumerRecord<String, byte[]>> dead = deadLetters(3);

            assertThat(results).containsOnly(Map.entry("a", "FIRST"),
                    Map.entry("flaky", "FAILS ONCE"), Map.entry("b", "LAST"));
            assertThat(dead).containsOnlyKeys("tomb", "bad", "fail");
            assertThat(reason(dead.get("tomb"))).startsWith("tombstone");
            assertThat(reason(dead.get("bad"))).isEqualTo("not a test record: undecodable");
            assertThat(dead.get("bad").value())
                    .isEqualTo("undecodable".getBytes(StandardCharsets.UTF_8));
            assertThat(reason(dead.get("fail"))).startsWith("failed 3 times")
                    .contains("model error");
            assertThat(DeadLetters.header(dead.get("fail").headers(), DeadLetters.TOPIC))
                    .contains(in);
            assertThat(attempts).containsEntry("fail", 3).containsEntry("flaky", 2)
                    .containsEntry("a", 1).containsEntry("b", 1);
            assertThat(committedLag()).isZero();
            assertThat(watch.status().up()).isTrue();
        }
    }

    /** Strings, but a value starting with "undecodable" is poison. */
    private static final class Strict implements Deserializer<String> {
        @Override
        public String deserialize(String topic, byte[] data) {
            String text = new String(data, StandardCharsets.UTF_8);
            if (text.startsWith("undecodable")) {
                throw new SerializationException("not a test record: " + text);
            }
            return text;
        }
    }

    private static ProducerRecord<String, byte[]> record(String key, String value) {
        return new ProducerRecord<>(in, 0, key,
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(List<ProducerRecord<String, byte[]>> records) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                settings.producer("stage-test-feed"), new StringSerializer(),
                new ByteArraySerializer())) {
            for (ProducerRecord<String, byte[]> record : records) {
                producer.send(record).get();
            }
        }
    }

    private static Map<String, String> readAll(String topic, int expected) {
        Map<String, String> values = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : read(topic, expected)) {
            values.put(record.key(), new String(record.value(), StandardCharsets.UTF_8));
        }
        return values;
    }

    private static Map<String, ConsumerRecord<String, byte[]>> deadLetters(int expected) {
        Map<String, ConsumerRecord<String, byte[]>> byKey = new HashMap<>();
        read(dlq, expected).forEach(r -> byKey.put(r.key(), r));
        return byKey;
    }

    /** Committed records of {@code topic}, waiting until {@code expected} came (or 60 s). */
    private static List<ConsumerRecord<String, byte[]>> read(String topic, int expected) {
        Map<String, Object> props = settings.assignedConsumer("stage-test-reader");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props,
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            // Anything more would be a duplicate.
            consumer.poll(Duration.ofSeconds(1)).forEach(records::add);
        }
        return records;
    }

    private static long committedLag() throws Exception {
        try (Admin admin = Admin.create(settings.admin("stage-test-admin"))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin
                        .listConsumerGroupOffsets("stage-test").partitionsToOffsetAndMetadata()
                        .get();
                OffsetAndMetadata offset = committed.get(new TopicPartition(in, 0));
                long lag = offset == null ? Long.MAX_VALUE : 6 - offset.offset();
                if (lag == 0 || System.nanoTime() > deadline) {
                    return lag;
                }
                Thread.sleep(200);
            }
        }
    }

    private static String reason(ConsumerRecord<String, byte[]> record) {
        return DeadLetters.header(record.headers(), DeadLetters.REASON).orElseThrow();
    }
}
