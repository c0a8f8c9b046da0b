package ai.collectiveagency.prompts.pacing;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * A consumer group's lag on a topic: the sum over its partitions of (latest end offset − committed
 * offset). A partition without a committed offset counts its whole end offset: the group has not
 * started reading it yet.
 */
public final class ConsumerLag {

    private ConsumerLag() {
    }

    /**
     * @param endOffsets latest end offset of every partition of the topic
     * @param committed  the group's committed offsets; partitions it never committed are absent
     * @return records written but not yet committed by the group, never negative
     */
    public static long of(Map<TopicPartition, Long> endOffsets,
                          Map<TopicPartition, Long> committed) {
        long lag = 0;
        for (Map.Entry<TopicPartition, Long> end : endOffsets.entrySet()) {
            long done = committed.getOrDefault(end.getKey(), 0L);
            lag += Math.max(0L, end.getValue() - done);
        }
        return lag;
    }
}
