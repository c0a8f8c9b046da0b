package ai.collectiveagency.prompts.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a restarted run carries on: the index after the highest one this run's seed already
 * wrote to the prompts topic, read from the keys (task ids {@code <source>-<seed hex>-<i>}) of
 * the last {@value #TAIL} records of each partition. Without it a restart would send task ids
 * 0, 1, 2, ... again, and downstream would see two groups with one id.
 */
final class ResumePoint {

    /** Records read back from the end of each partition. */
    static final int TAIL = 64;
    private static final Pattern TASK_ID = Pattern.compile("^[a-z]+-([0-9a-f]+)-(\\d+)$");

    private ResumePoint() {
    }

    /**
     * The first index not yet sent for {@code seed}; 0 when the topic holds none of its tasks.
     *
     * @throws org.apache.kafka.common.KafkaException or a timeout when the broker cannot answer
     *     within {@code timeout}
     */
    static long nextIndex(Consumer<String, byte[]> consumer, String topic, long seed,
            Duration timeout) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : consumer.partitionsFor(topic, timeout)) {
            partitions.add(new TopicPartition(topic, info.partition()));
        }
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
        Map<TopicPartition, Long> starts = consumer.beginningOffsets(partitions, timeout);
        Map<TopicPartition, Long> remaining = new HashMap<>();
        consumer.assign(partitions);
        for (TopicPartition partition : partitions) {
            long end = ends.get(partition);
            long from = Math.max(starts.get(partition), end - TAIL);
            if (from < end) {
                consumer.seek(partition, from);
                remaining.put(partition, end);
            }
        }
        consumer.pause(partitions.stream().filter(p -> !remaining.containsKey(p)).toList());
        long next = 0;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!remaining.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new org.apache.kafka.common.errors.TimeoutException("reading the last "
                        + TAIL + " records of " + remaining.keySet() + " took over " + timeout);
            }
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                OptionalLong index = indexOf(record.key(), seed);
                if (index.isPresent()) {
                    next = Math.max(next, index.getAsLong() + 1);
                }
            }
            // Done with a partition once its position reached the end read above.
            for (TopicPartition partition : List.copyOf(remaining.keySet())) {
                if (consumer.position(partition, timeout) >= remaining.get(partition)) {
                    remaining.remove(partition);
                    consumer.pause(List.of(partition));
                }
            }
        }
        return next;
    }

    /** The index in a task id of run {@code seed}; empty for another run's or a foreign key. */
    static OptionalLong indexOf(String taskId, long seed) {
        if (taskId == null) {
            return OptionalLong.empty();
        }
        Matcher m = TASK_ID.matcher(taskId);
        if (!m.matches() || !m.group(1).equals(Long.toHexString(seed))) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(m.group(2)));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
