package ai.collectiveagency.evaluation.service;

import ai.collectiveagency.schemas.PolicyCheckpoint;
import ai.collectiveagency.schemas.kafka.KafkaClientSettings;
import ai.collectiveagency.schemas.kafka.PolicyCheckpointDeserializer;
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
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The announcements on the checkpoints topic, read in the service's own consumer group: it is
 * assigned every partition (one reader; no group membership, so an evaluation that takes
 * minutes never trips {@code max.poll.interval.ms} into a rebalance) and commits its offsets to
 * the group, so a restart goes on after the announcements already handled. A record that does
 * not decode is skipped and counted.
 */
final class CheckpointFeed implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(CheckpointFeed.class.getName());

    private final KafkaConsumer<String, PolicyCheckpoint> consumer;
    private final String topic;
    private final Runnable countMalformed;
    private boolean assigned;

    CheckpointFeed(KafkaClientSettings kafka, String topic, String group,
            Runnable countMalformed) {
        Map<String, Object> props = kafka.assignedConsumer("evaluation-checkpoints");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        PolicyCheckpointDeserializer deserializer = new PolicyCheckpointDeserializer();
        deserializer.configure(kafka.asMap(), false);
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), deserializer);
        this.topic = topic;
        this.countMalformed = countMalformed;
    }

    /** Announcements since the last call, waiting at most {@code timeout} for some. */
    List<PolicyCheckpoint> poll(Duration timeout) {
        List<PolicyCheckpoint> read = new ArrayList<>();
        if (!assigned && !assign(timeout)) {
            return read;
        }
        try {
            for (ConsumerRecord<String, PolicyCheckpoint> record : consumer.poll(timeout)) {
                if (record.value() != null) { // null: a tombstone of the compacted topic
                    read.add(record.value());
                }
            }
        } catch (RecordDeserializationException e) {
            countMalformed.run();
            LOG.log(System.Logger.Level.WARNING, e.topicPartition() + " offset " + e.offset()
                    + " is not a PolicyCheckpoint, skipped: " + e.getMessage());
            consumer.seek(e.topicPartition(), e.offset() + 1);
        }
        return read;
    }

    /** Commits what was read so far to the group. */
    void commit() {
        if (assigned) {
            consumer.commitSync();
        }
    }

    private boolean assign(Duration timeout) {
        List<PartitionInfo> partitions = consumer.partitionsFor(topic, timeout);
        if (partitions == null || partitions.isEmpty()) {
            return false;
        }
        consumer.assign(partitions.stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList());
        assigned = true; // positions: the group's committed offsets, else the beginning
        return true;
    }

    void wakeup() {
        consumer.wakeup();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
