package ai.collectiveagency.rollout.checkpoint;

import ai.collectiveagency.schemas.PolicyCheckpoint;
import ai.collectiveagency.schemas.kafka.KafkaClientSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads every record of the checkpoints topic, from the beginning, with a plain consumer that
 * is <em>assigned</em> all partitions: no consumer group, no committed offsets, so every replica
 * sees every checkpoint and a restart reads the compacted topic again from its start. Records
 * that do not decode are skipped and counted ({@link RefusalReason#MALFORMED}). Not thread-safe:
 * one thread at a time (start-up, then the follower), except {@link #wakeup()}.
 */
final class CheckpointTopicReader implements AutoCloseable {

    private static final System.Logger LOG =
            System.getLogger(CheckpointTopicReader.class.getName());

    private final KafkaConsumer<String, PolicyCheckpoint> consumer;
    private final String topic;
    private final CheckpointMetrics metrics;
    private boolean assigned;

    /**
     * @param kafka the service's Kafka settings (brokers, security, schema registry)
     * @param deserializer configured here with {@code kafka}'s settings
     */
    CheckpointTopicReader(KafkaClientSettings kafka, String topic,
            Deserializer<PolicyCheckpoint> deserializer, CheckpointMetrics metrics) {
        // No group: offsets are never committed; each start reads the whole compacted topic.
        Map<String, Object> props = kafka.assignedConsumer("rollout-checkpoints");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        deserializer.configure(kafka.asMap(), false);
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), deserializer);
        this.topic = topic;
        this.metrics = metrics;
    }

    /**
     * Every record from the beginning up to the end offsets as of this call; what the broker does
     * not deliver within {@code timeout} (or a topic that does not exist yet) is left to
     * {@link #poll}.
     */
    List<PolicyCheckpoint> readToEnd(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<PolicyCheckpoint> read = new ArrayList<>();
        try {
            if (!assign(timeout)) {
                return read;
            }
            Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment(), timeout);
            while (!reached(end) && System.nanoTime() < deadline) {
                read.addAll(poll(Duration.ofMillis(200)));
            }
            if (!reached(end)) {
                LOG.log(System.Logger.Level.WARNING, topic + ": not read to its end within "
                        + timeout + "; serving what was read, the rest follows");
            }
        } catch (TimeoutException e) {
            LOG.log(System.Logger.Level.WARNING, topic + ": broker not reachable within "
                    + timeout + " (" + e.getMessage() + "); serving the base model for now");
        }
        return read;
    }

    /** Records that arrived since the last call, waiting at most {@code timeout} for some. */
    List<PolicyCheckpoint> poll(Duration timeout) {
        List<PolicyCheckpoint> read = new ArrayList<>();
        if (!assigned && !assign(timeout)) {
            return read;
        }
        try {
            for (ConsumerRecord<String, PolicyCheckpoint> record : consumer.poll(timeout)) {
                if (record.value() != null) { // null: a tombstone
                    read.add(record.value());
                }
            }
        } catch (RecordDeserializationException e) {
            metrics.refused(RefusalReason.MALFORMED);
            LOG.log(System.Logger.Level.WARNING, "checkpoint refused ("
                    + RefusalReason.MALFORMED.tag() + "): " + e.topicPartition() + " offset "
                    + e.offset() + " does not decode as a PolicyCheckpoint: " + e.getMessage());
            consumer.seek(e.topicPartition(), e.offset() + 1);
        }
        return read;
    }

    private boolean assign(Duration timeout) {
        List<PartitionInfo> partitions = consumer.partitionsFor(topic, timeout);
        if (partitions == null || partitions.isEmpty()) {
            LOG.log(System.Logger.Level.DEBUG, topic + ": no such topic yet");
            return false;
        }
        List<TopicPartition> all = partitions.stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(all);
        consumer.seekToBeginning(all);
        assigned = true;
        return true;
    }

    private boolean reached(Map<TopicPartition, Long> end) {
        return end.entrySet().stream()
                .allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    void wakeup() {
        consumer.wakeup();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
