package ai.collectiveagency.trainer.scored;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * Which scored records are done (trained on, evaluated, dead-lettered, skipped as duplicates)
 * and which wait in the step being gathered, per partition, so that a checkpoint stores, for
 * each partition, the first offset that is not done: a restart reads from there and neither
 * skips a waiting record nor trains on a record twice. Records of one partition are handled in offset order.
 */
final class OffsetTracker {

    private final Map<TopicPartition, Long> doneUpTo = new HashMap<>();
    private final Map<TopicPartition, Deque<Long>> waiting = new HashMap<>();

    /** Starts counting {@code partition} at {@code next} (where reading begins). */
    void start(TopicPartition partition, long next) {
        doneUpTo.put(partition, next);
        waiting.remove(partition);
    }

    /** A record that joins the step being gathered. */
    void waiting(TopicPartition partition, long offset) {
        waiting.computeIfAbsent(partition, p -> new ArrayDeque<>()).addLast(offset);
        doneUpTo.merge(partition, offset + 1, Math::max);
    }

    /**
     * A record settled without a step (evaluated, without signal, dead-lettered, a duplicate).
     */
    void done(TopicPartition partition, long offset) {
        doneUpTo.merge(partition, offset + 1, Math::max);
    }

    /**
     * A waiting record left the step being gathered (quarantined): it is done and holds the
     * offset back no longer.
     */
    void leftStep(TopicPartition partition, long offset) {
        Deque<Long> queue = waiting.get(partition);
        if (queue != null) {
            queue.remove(offset);
        }
    }

    /** The step was taken: every waiting record is done. */
    void stepTaken() {
        waiting.clear();
    }

    /** The first offset of {@code partition} not done. */
    long next(TopicPartition partition) {
        Deque<Long> queue = waiting.get(partition);
        return queue == null || queue.isEmpty() ? doneUpTo.getOrDefault(partition, 0L)
                : queue.peekFirst();
    }

    /** {@code topic-partition} to the first offset not done, for every partition seen. */
    Map<String, Long> committable() {
        Map<String, Long> out = new TreeMap<>();
        for (TopicPartition partition : doneUpTo.keySet()) {
            out.put(partition.topic() + "-" + partition.partition(), next(partition));
        }
        return out;
    }
}
