package ai.collectiveagency.demo.dashboard;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Offsets read from the broker at one moment.
 *
 * @param earliest first offset still on the broker, per partition
 * @param latest end offset (the next one to be written), per partition
 * @param committed the committed offsets of each consumer group, by group id; partitions the
 *     group never committed are absent
 */
public record BrokerOffsets(Map<TopicPartition, Long> earliest, Map<TopicPartition, Long> latest,
        Map<String, Map<TopicPartition, Long>> committed) {

    public BrokerOffsets {
        earliest = Map.copyOf(earliest);
        latest = Map.copyOf(latest);
        committed = Map.copyOf(committed);
    }

    /** Records ever written to {@code topic} (its end offsets added up; 0 when unknown). */
    public long written(String topic) {
        return latest.entrySet().stream().filter(e -> e.getKey().topic().equals(topic))
                .mapToLong(Map.Entry::getValue).sum();
    }
}
