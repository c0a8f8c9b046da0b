package ai.collectiveagency.trainer.service;

import ai.collectiveagency.schemas.EvalResult;
import ai.collectiveagency.schemas.PolicyCheckpoint;
import ai.collectiveagency.schemas.ScoredGroup;
import ai.collectiveagency.schemas.TrainingMetrics;
import ai.collectiveagency.schemas.kafka.MetricsEventDeserializer;
import ai.collectiveagency.schemas.kafka.PolicyCheckpointDeserializer;
import ai.collectiveagency.schemas.kafka.ScoredGroupSerializer;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes scored groups and reads checkpoints, metrics and dead letters back. The metrics topic
 * carries step metrics and evaluations, so it is read with the {@link MetricsEventDeserializer}.
 */
public final class Topics {

    private final String bootstrapServers;
    private final TopicCatalogue topics;

    /** The topics of the default catalogue. */
    public Topics(String bootstrapServers) {
        this(bootstrapServers, TopicCatalogue.DEFAULT_PREFIX);
    }

    /** The catalogue's topics under {@code prefix}. */
    public Topics(String bootstrapServers, String prefix) {
        this.bootstrapServers = bootstrapServers;
        this.topics = TopicCatalogue.withPrefix(prefix);
    }

    /** Sends the groups in order, all to partition 0 so they are read in this order. */
    public void send(List<ScoredGroup> groups) {
        try (KafkaProducer<String, ScoredGroup> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", bootstrapServers), new StringSerializer(),
                new ScoredGroupSerializer())) {
            groups.forEach(g -> producer.send(new ProducerRecord<>(
                    topics.name(LogicalTopic.SCORED), 0, g.getGroup().getTask().getTaskId(), g)));
        }
    }

    /**
     * As {@link #send}, in one transaction, as the reward-service writes: the transaction's
     * commit marker takes the offset after the last group.
     */
    public void sendInTransaction(List<ScoredGroup> groups) {
        try (KafkaProducer<String, ScoredGroup> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", bootstrapServers,
                        "transactional.id", "trainer-test-" + UUID.randomUUID()),
                new StringSerializer(), new ScoredGroupSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            groups.forEach(g -> producer.send(new ProducerRecord<>(
                    topics.name(LogicalTopic.SCORED), 0, g.getGroup().getTask().getTaskId(), g)));
            producer.commitTransaction();
        }
    }

    public void sendBytes(String key, byte[] value) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", bootstrapServers), new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topics.name(LogicalTopic.SCORED), 0, key, value));
        }
    }

    public List<PolicyCheckpoint> checkpoints(int count, Duration deadline) {
        return values(read(topics.name(LogicalTopic.CHECKPOINTS),
                new PolicyCheckpointDeserializer(), r -> true, count, deadline));
    }

    /** The first {@code count} step metrics of the metrics topic; evaluations are passed over. */
    public List<TrainingMetrics> metrics(int count, Duration deadline) {
        return values(read(topics.name(LogicalTopic.METRICS), new MetricsEventDeserializer(),
                r -> r.value() instanceof TrainingMetrics, count, deadline)).stream()
                .filter(TrainingMetrics.class::isInstance).map(TrainingMetrics.class::cast)
                .toList();
    }

    /** An {@link EvalResult} of the metrics topic and its key, the evaluated group's task id. */
    public record Evaluation(String taskId, EvalResult result) {
    }

    /** The first {@code count} evaluations of the metrics topic; step metrics are passed over. */
    public List<Evaluation> evaluations(int count, Duration deadline) {
        return read(topics.name(LogicalTopic.METRICS), new MetricsEventDeserializer(),
                r -> r.value() instanceof EvalResult, count, deadline).stream()
                .filter(r -> r.value() instanceof EvalResult)
                .map(r -> new Evaluation(r.key(), (EvalResult) r.value())).toList();
    }

    /**
     * Every record on the metrics topic up to its end now, both types, in the order of each
     * partition (for a trainer that has stopped: all it sent).
     */
    public List<ConsumerRecord<String, SpecificRecord>> allMetricsEvents() {
        List<ConsumerRecord<String, SpecificRecord>> records = new ArrayList<>();
        try (KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(properties(),
                new StringDeserializer(), new MetricsEventDeserializer())) {
            List<TopicPartition> partitions = consumer
                    .partitionsFor(topics.name(LogicalTopic.METRICS)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    public List<ConsumerRecord<String, byte[]>> deadLetters(int count, Duration deadline) {
        return read(topics.dlqName(LogicalTopic.SCORED), new ByteArrayDeserializer(), r -> true,
                count, deadline);
    }

    /** Reads {@code topic} from the start until {@code count} records {@code counted} came. */
    private <V> List<ConsumerRecord<String, V>> read(String topic, Deserializer<V> values,
            Predicate<ConsumerRecord<String, V>> counted, int count, Duration deadline) {
        List<ConsumerRecord<String, V>> records = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(properties(),
                new StringDeserializer(), values)) {
            consumer.subscribe(List.of(topic));
            long end = System.nanoTime() + deadline.toNanos();
            while (records.stream().filter(counted).count() < count
                    && System.nanoTime() < end) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private Properties properties() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "trainer-test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return props;
    }

    private static <V> List<V> values(List<ConsumerRecord<String, V>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }
}
