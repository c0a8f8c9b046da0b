package ai.collectiveagency.rollout.messaging;

import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.schemas.RolloutGroup;
import ai.collectiveagency.schemas.kafka.PromptTaskSerializer;
import ai.collectiveagency.schemas.kafka.RolloutGroupDeserializer;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** What the service tests do on the broker: send tasks (or raw bytes), read what came out. */
final class TopicClients {

    private static final TopicCatalogue TOPICS = TopicCatalogue.defaults();
    static final String PROMPTS = TOPICS.name(LogicalTopic.PROMPTS);
    static final String ROLLOUTS = TOPICS.name(LogicalTopic.ROLLOUTS);
    static final String PROMPTS_DLQ = TOPICS.dlqName(LogicalTopic.PROMPTS);
    private static final Duration DEADLINE = Duration.ofSeconds(120);

    private final String bootstrapServers;

    TopicClients(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** Sends each task keyed by its id, in order, and waits until the broker has them. */
    void sendTasks(List<PromptTask> tasks) {
        try (KafkaProducer<String, PromptTask> producer = new KafkaProducer<>(producerProps(),
                new StringSerializer(), new PromptTaskSerializer())) {
            tasks.forEach(t -> producer.send(new ProducerRecord<>(PROMPTS, t.getTaskId(), t)));
        }
    }

    /** Sends {@code value} as it is, keyed by {@code key}. */
    void sendRaw(String key, byte[] value) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps(),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(PROMPTS, key, value));
        }
    }

    /**
     * The groups on the rollouts topic keyed by one of {@code keys}, once all are there (fewer if
     * the deadline passes). Other tests' groups on the same broker are skipped.
     */
    List<ConsumerRecord<String, RolloutGroup>> groups(Collection<String> keys) {
        return read(ROLLOUTS, keys, new RolloutGroupDeserializer());
    }

    /** The records on the prompts DLQ keyed by one of {@code keys}, values as bytes. */
    List<ConsumerRecord<String, byte[]>> deadLetters(Collection<String> keys) {
        return read(PROMPTS_DLQ, keys, new ByteArrayDeserializer());
    }

    private <V> List<ConsumerRecord<String, V>> read(String topic, Collection<String> keys,
            Deserializer<V> values) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "rollout-test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, V>> records = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(props,
                new StringDeserializer(), values)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (records.size() < keys.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(200))) {
                    if (keys.contains(record.key())) {
                        records.add(record);
                    }
                }
            }
        }
        return records;
    }

    private Properties producerProps() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return props;
    }
}
