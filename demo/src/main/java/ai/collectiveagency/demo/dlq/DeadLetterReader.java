package ai.collectiveagency.demo.dlq;

import ai.collectiveagency.schemas.topics.TopicCatalogue;
import ai.collectiveagency.schemas.kafka.KafkaClientSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads what a dead-letter topic holds now: from its start (or the last {@code limit} records)
 * to its end when the read began, committed records only (a dead letter of an aborted
 * transaction was never a dead letter). Joins no consumer group and commits nothing: listing
 * changes nothing on the cluster.
 */
final class DeadLetterReader implements AutoCloseable {

    /** Bounds every request and the whole read: a broker that is not there is an error. */
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaConsumer<byte[], byte[]> consumer;

    private DeadLetterReader(KafkaConsumer<byte[], byte[]> consumer) {
        this.consumer = consumer;
    }

    static DeadLetterReader open(KafkaClientSettings kafka) {
        Map<String, Object> props = kafka.assignedConsumer("pipeline-dlq", TIMEOUT);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                IsolationLevel.READ_COMMITTED.toString());
        // A dead letter is as large as the largest record of its data topic.
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                TopicCatalogue.defaults().largestMessageBytes());
        return new DeadLetterReader(new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer()));
    }

    /** Whether {@code topic} is on the cluster (and this client may see it). */
    boolean exists(String topic) {
        try {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, TIMEOUT);
            return partitions != null && !partitions.isEmpty();
        } catch (KafkaException e) {
            throw new DlqException("cannot look up topic " + topic + ": " + e.getMessage(), e);
        }
    }

    /**
     * The dead letters on {@code dlqTopic}, oldest first (by time, then partition and offset).
     *
     * @param limit the newest this many only; empty for all
     * @throws DlqException when the topic is not there or the broker refuses or is not reached
     */
    List<DeadLetter> read(String dlqTopic, OptionalInt limit) {
        if (!exists(dlqTopic)) {
            throw new DlqException("no topic " + dlqTopic + " on the cluster");
        }
        try {
            return readAll(dlqTopic, limit);
        } catch (KafkaException e) {
            throw new DlqException("cannot read " + dlqTopic + ": " + e.getMessage(), e);
        }
    }

    private List<DeadLetter> readAll(String dlqTopic, OptionalInt limit) {
        List<TopicPartition> partitions = consumer.partitionsFor(dlqTopic, TIMEOUT).stream()
                .map(info -> new TopicPartition(dlqTopic, info.partition())).toList();
        consumer.assign(partitions);
        Map<TopicPartition, Long> start = consumer.beginningOffsets(partitions, TIMEOUT);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
        Set<TopicPartition> unread = new HashSet<>();
        for (TopicPartition partition : partitions) {
            long from = limit.isPresent()
                    ? Math.max(start.get(partition), end.get(partition) - limit.getAsInt())
                    : start.get(partition);
            consumer.seek(partition, from);
            if (from < end.get(partition)) {
                unread.add(partition);
            }
        }
        List<DeadLetter> letters = new ArrayList<>();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!unread.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new DlqException("could not read " + dlqTopic + " to its end within "
                        + TIMEOUT.toSeconds() + " s");
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                TopicPartition partition = new TopicPartition(record.topic(),
                        record.partition());
                if (record.offset() < end.get(partition)) {
                    letters.add(DeadLetter.of(record));
                }
            }
            // Positions, not record offsets: transaction markers leave gaps before the end.
            unread.removeIf(partition -> consumer.position(partition, TIMEOUT)
                    >= end.get(partition));
        }
        letters.sort(Comparator.comparing(DeadLetter::timestamp)
                .thenComparingInt(DeadLetter::partition).thenComparingLong(DeadLetter::offset));
        return limit.isPresent() && letters.size() > limit.getAsInt()
                ? List.copyOf(letters.subList(letters.size() - limit.getAsInt(), letters.size()))
                : letters;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
