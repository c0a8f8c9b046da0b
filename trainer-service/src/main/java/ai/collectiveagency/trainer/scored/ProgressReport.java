package ai.collectiveagency.trainer.scored;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidGroupIdException;

/**
 * Commits how far the trainer has taken up the scored groups (handed them over, or settled them
 * itself) to its consumer's group, for lag readers alone (the prompt-generator's pacing,
 * dashboards): the trainer resumes from its checkpoints, never from these offsets. Per partition
 * that is the first record of the last poll not yet handled, or else the consumer's position,
 * which is past the commit markers of the reward-service's transactions: a caught-up trainer
 * shows no lag, and groups waiting for a step never hold the generator back from sending the
 * groups that would fill the step. At most once per {@link #INTERVAL}, only when it moved;
 * asynchronous and best effort: a failed commit is logged once and sent again at the next
 * chance. A consumer without a {@code group.id} (an embedding of the loop) reports nothing.
 */
final class ProgressReport {

    private static final System.Logger LOG = System.getLogger(ProgressReport.class.getName());
    private static final Duration INTERVAL = Duration.ofMillis(250);

    private final Consumer<String, byte[]> consumer;
    private final String topic;
    private boolean enabled = true;
    private boolean failing;
    private Map<TopicPartition, OffsetAndMetadata> reported = Map.of();
    private long reportedAt = System.nanoTime() - INTERVAL.toNanos();

    ProgressReport(Consumer<String, byte[]> consumer, String topic) {
        this.consumer = consumer;
        this.topic = topic;
    }

    /** Reports the progress, {@code unhandled} being the polled records not yet handled. */
    void report(Iterable<ConsumerRecord<String, byte[]>> unhandled) {
        long now = System.nanoTime();
        if (!enabled || now - reportedAt < INTERVAL.toNanos()) {
            return;
        }
        Map<TopicPartition, Long> firstUnhandled = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : unhandled) {
            firstUnhandled.putIfAbsent(new TopicPartition(record.topic(), record.partition()),
                    record.offset());
        }
        Map<TopicPartition, OffsetAndMetadata> progress = new HashMap<>();
        for (TopicPartition partition : consumer.assignment()) {
            Long first = firstUnhandled.get(partition);
            progress.put(partition, new OffsetAndMetadata(first != null ? first
                    : consumer.position(partition)));
        }
        if (progress.equals(reported)) {
            return;
        }
        reportedAt = now;
        reported = progress;
        try {
            consumer.commitAsync(progress, (committed, failure) -> {
                if (failure == null) {
                    failing = false;
                    return;
                }
                reported = Map.of(); // sent again at the next chance
                if (!failing) {
                    failing = true;
                    LOG.log(System.Logger.Level.WARNING, "could not commit how far the trainer "
                            + "has read " + topic + " to its group, for lag readers (training "
                            + "goes on; retrying): " + failure);
                }
            });
        } catch (InvalidGroupIdException e) {
            enabled = false;
            LOG.log(System.Logger.Level.INFO, "the scored consumer has no group.id: the "
                    + "trainer's lag on " + topic + " is not reported");
        }
    }
}
