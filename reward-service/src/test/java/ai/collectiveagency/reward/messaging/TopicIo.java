package ai.collectiveagency.reward.messaging;

import ai.collectiveagency.schemas.RolloutGroup;
import ai.collectiveagency.schemas.ScoredGroup;
import ai.collectiveagency.schemas.kafka.RolloutGroupSerializer;
import ai.collectiveagency.schemas.kafka.ScoredGroupDeserializer;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writes groups to the rollouts topic and reads the scored and dead-letter topics back. */
final class TopicIo {

    private final String bootstrapServers;
    private final TopicCatalogue topics;

    TopicIo(String bootstrapServers) {
        this(bootstrapServers, TopicCatalogue.defaults());
    }

    /** On the topics of {@code topics} (another prefix). */
    TopicIo(String bootstrapServers, TopicCatalogue topics) {
        this.bootstrapServers = bootstrapServers;
        this.topics = topics;
    }

    void sendGroups(List<RolloutGroup> groups) {
        try (KafkaProducer<String, RolloutGroup> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", bootstrapServers), new StringSerializer(),
                new RolloutGroupSerializer())) {
            groups.forEach(g -> producer.send(new ProducerRecord<>(
                    topics.name(LogicalTopic.ROLLOUTS), g.getTask().getTaskId(), g)));
        }
    }

    void sendBytes(String key, byte[] value) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", bootstrapServers), new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topics.name(LogicalTopic.ROLLOUTS), key, value));
        }
    }

    List<ConsumerRecord<String, ScoredGroup>> scored(int count, Duration deadline) {
        return read(topics.name(LogicalTopic.SCORED), count, deadline,
                new KafkaConsumer<>(props(), new StringDeserializer(),
                        new ScoredGroupDeserializer()));
    }

    List<ConsumerRecord<String, byte[]>> deadLetters(int count, Duration deadline) {
        return read(topics.dlqName(LogicalTopic.ROLLOUTS), count, deadline,
                new KafkaConsumer<>(props(), new StringDeserializer(),
                        new ByteArrayDeserializer()));
    }

    private Properties props() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "reward-test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return props;
    }

    private static <V> List<ConsumerRecord<String, V>> read(String topic, int count,
            Duration deadline, KafkaConsumer<String, V> consumer) {
        List<ConsumerRecord<String, V>> records = new ArrayList<>();
        try (consumer) {
            consumer.subscribe(List.of(topic));
            long end = System.nanoTime() + deadline.toNanos();
            while (records.size() < count && System.nanoTime() < end) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
