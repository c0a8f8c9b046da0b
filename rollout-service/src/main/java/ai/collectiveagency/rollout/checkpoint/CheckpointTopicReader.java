package ai.collectiveagency.rollout.checkpoint;

import ai.collectiveagency.selfplay.checkpoint.RefusalReason;

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
 * Reads every record of a compacted topic the fleet follows (checkpoints, fleet-control), from
 * the beginning, with a plain consumer that is <em>assigned</em> all partitions: no consumer
 * group, no committed offsets, so every replica sees every record and a restart reads the
 * compacted topic again from its start. Records that do not decode are skipped and counted
 * (for checkpoints {@link RefusalReason#MALFORMED}). Not thread-safe: one thread at a time
 * (start-up, then the follower), except {@link #wakeup()}.
 *
 * @param <T> the record type
 */
final class CheckpointTopicReader<T> implements AutoCloseable {

    private static final System.Logger LOG =
            System.getLogger(CheckpointTopicReader.class.getName());

    private final KafkaConsumer<String, T> consumer;
    private final String topic;
    private final Runnable countMalformed;
    private boolean assigned;

    /**
     * @param kafka the service's Kafka settings (brokers, security, schema registry)
     * @param clientId the consumer's client id, e.g. {@code rollout-checkpoints}
     * @param deserializer configured here with {@code kafka}'s settings
     * @param countMalformed counts a record that does not decode
     */
    CheckpointTopicReader(KafkaClientSettings kafka, String clientId, String topic,
            Deserializer<T> deserializer, Runnable countMalformed) {
        // No group: offsets are never committed; each start reads the whole compacted topic.
        Map<String, Object> props = kafka.assignedConsumer(clientId);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        deserializer.configure(kafka.asMap(), false);
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), deserializer);
        this.topic = topic;
        this.countMalformed = countMalformed;
    }

    /** The reader of the checkpoints topic. */
    static CheckpointTopicReader<PolicyCheckpoint> checkpoints(KafkaClientSettings kafka,
            String topic, Deserializer<PolicyCheckpoint> deserializer,
            CheckpointMetrics metrics) {
        return new CheckpointTopicReader<>(kafka, "rollout-checkpoints", topic, deserializer,
                () -> metrics.refused(RefusalReason.MALFORMED));
    }

    /**
     * Every record from the beginning up to the end offsets as of this call; what the broker does
     * not deliver within {@code timeout} (or a topic that does not exist yet) is left to
     * {@link #poll}.
     */
    List<T> readToEnd(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<T> read = new ArrayList<>();
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
    List<T> poll(Duration timeout) {
        List<T> read = new ArrayList<>();
        if (!assigned && !assign(timeout)) {
            return read;
        }
        try {
            for (ConsumerRecord<String, T> record : consumer.poll(timeout)) {
                if (record.value() != null) { // null: a tombstone
                    read.add(record.value());
                }
            }
        } catch (RecordDeserializationException e) {
            countMalformed.run();
            LOG.log(System.Logger.Level.WARNING, "record refused ("
                    + RefusalReason.MALFORMED.tag() + "): " + e.topicPartition() + " offset "
                    + e.offset() + " does not decode: " + e.getMessage());
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
