package ai.collectiveagency.trainer.service;

import ai.collectiveagency.schemas.PolicyCheckpoint;
import ai.collectiveagency.schemas.ScoredGroup;
import ai.collectiveagency.schemas.TrainingMetrics;
import ai.collectiveagency.schemas.kafka.PolicyCheckpointDeserializer;
import ai.collectiveagency.schemas.kafka.ScoredGroupSerializer;
import ai.collectiveagency.schemas.kafka.TrainingMetricsDeserializer;
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
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writes scored groups and reads checkpoints, metrics and dead letters back. */
public final class Topics {

    private final String bootstrapServers;

    public Topics(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** Sends the groups in order, all to partition 0 so they are read in this order. */
    public void send(List<ScoredGroup> groups) {
        try (KafkaProducer<String, ScoredGroup> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", bootstrapServers), new StringSerializer(),
                new ScoredGroupSerializer())) {
            groups.forEach(g -> producer.send(new ProducerRecord<>("alignment.scored", 0,
                    g.getGroup().getTask().getTaskId(), g)));
        }
    }

    public void sendBytes(String key, byte[] value) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", bootstrapServers), new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("alignment.scored", 0, key, value));
        }
    }

    public List<PolicyCheckpoint> checkpoints(int count, Duration deadline) {
        return values(read("alignment.checkpoints", count, deadline,
                new PolicyCheckpointDeserializer()));
    }

    public List<TrainingMetrics> metrics(int count, Duration deadline) {
        return values(read("alignment.metrics", count, deadline,
                new TrainingMetricsDeserializer()));
    }

    public List<ConsumerRecord<String, byte[]>> deadLetters(int count, Duration deadline) {
        return read("alignment.scored.dlq", count, deadline, new ByteArrayDeserializer());
    }

    private <V> List<ConsumerRecord<String, V>> read(String topic, int count, Duration deadline,
            Deserializer<V> values) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "trainer-test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, V>> records = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(props,
                new StringDeserializer(), values)) {
            consumer.subscribe(List.of(topic));
            long end = System.nanoTime() + deadline.toNanos();
            while (records.size() < count && System.nanoTime() < end) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static <V> List<V> values(List<ConsumerRecord<String, V>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }
}
