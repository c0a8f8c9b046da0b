package ai.collectiveagency.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicSpec;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.server.config.ServerConfigs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The catalogue's record limits hold on the local broker, from producer to consumer. */
class RecordSizesTest {

    private static final int MIB = 1024 * 1024;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private static LocalKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = LocalKafka.startTemporary();
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void fourMebibyteGroupGoesThroughScored() throws Exception {
        TopicSpec scored = kafka.catalogue().spec(LogicalTopic.SCORED);
        byte[] group = new byte[4 * MIB];
        new Random(7).nextBytes(group);

        try (KafkaProducer<String, byte[]> producer = producer(scored)) {
            producer.send(new ProducerRecord<>(scored.name(), 0, "task-4mib", group)).get();
        }
        ConsumerRecord<String, byte[]> read = readFirst(scored, 0);

        assertThat(read.key()).isEqualTo("task-4mib");
        assertThat(read.value()).isEqualTo(group);
    }

    @Test
    void recordOverTheTopicLimitIsRefusedByTheProducerItself() {
        TopicSpec scored = kafka.catalogue().spec(LogicalTopic.SCORED);
        byte[] tooLarge = new byte[scored.maxMessageBytes() + 1];

        try (KafkaProducer<String, byte[]> producer = producer(scored)) {
            assertThatThrownBy(() -> producer.send(
                    new ProducerRecord<>(scored.name(), "task-huge", tooLarge)).get())
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(RecordTooLargeException.class);
        }
    }

    @Test
    void topicsAreCreatedWithTheirLimitAndTheBrokerTakesTheLargest() throws Exception {
        try (Admin admin = kafka.createAdmin()) {
            for (TopicSpec spec : kafka.catalogue().all()) {
                ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, spec.name());
                Config config = admin.describeConfigs(Set.of(topic)).all().get().get(topic);
                assertThat(config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value())
                        .as(spec.name()).isEqualTo(Integer.toString(spec.maxMessageBytes()));
            }
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "1");
            Config config = admin.describeConfigs(Set.of(broker)).all().get().get(broker);
            assertThat(config.get(ServerConfigs.MESSAGE_MAX_BYTES_CONFIG).value())
                    .isEqualTo(Integer.toString(kafka.catalogue().largestMessageBytes()));
        }
    }

    /** A producer sized as the catalogue says a producer of {@code topic} is. */
    private static KafkaProducer<String, byte[]> producer(TopicSpec topic) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, topic.maxMessageBytes());
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    private static ConsumerRecord<String, byte[]> readFirst(TopicSpec topic, int partition) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, topic.maxMessageBytes());
        config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, topic.maxMessageBytes());
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config,
                new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition assigned = new TopicPartition(topic.name(), partition);
            consumer.assign(List.of(assigned));
            consumer.seekToBeginning(List.of(assigned));
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    return records.iterator().next();
                }
            }
        }
        throw new AssertionError("no record on " + topic.name() + " within " + READ_TIMEOUT);
    }
}
