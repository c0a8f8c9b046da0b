package ai.collectiveagency.prompts.pacing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads a consumer group's lag on one topic with the Kafka {@link Admin} client: the topic's
 * partitions, their latest end offsets and the group's committed offsets, combined by
 * {@link ConsumerLag}. The Admin client may serve several sources; its owner closes it.
 */
public final class AdminLagSource implements LagSource {

    private static final System.Logger LOG = System.getLogger(AdminLagSource.class.getName());
    private static final Duration NEVER_COMMITTED_WARNING = Duration.ofMinutes(1);

    private final Admin admin;
    private final String group;
    private final String topic;
    private final Duration timeout;
    private Long neverCommittedSince;
    private boolean warnedNeverCommitted;

    /**
     * @param timeout the longest one measurement may wait for the broker
     */
    public AdminLagSource(Admin admin, String group, String topic, Duration timeout) {
        this.admin = admin;
        this.group = group;
        this.topic = topic;
        this.timeout = timeout;
    }

    @Override
    public long lag() throws LagUnavailableException {
        try {
            TopicDescription description = admin.describeTopics(List.of(topic))
                    .allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(topic);
            Map<TopicPartition, OffsetSpec> latest = description.partitions().stream()
                    .collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()),
                            p -> OffsetSpec.latest()));
            // What a read_committed consumer can reach: not the records of open transactions.
            Map<TopicPartition, ListOffsetsResultInfo> ends = admin.listOffsets(latest,
                    new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                    .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Map<TopicPartition, OffsetAndMetadata> committed = admin
                    .listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Map<TopicPartition, Long> done = committedOffsets(committed);
            long lag = ConsumerLag.of(offsets(ends), done);
            warnOnceWhenNeverCommitted(done, lag);
            return lag;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LagUnavailableException("interrupted while reading the lag", e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // Broker unreachable, topic or group unknown, timeouts: all "not now", none fatal.
            throw new LagUnavailableException("cannot read the lag of group " + group
                    + " on " + topic + ": " + e, e);
        }
    }

    /**
     * A group that has committed nothing on a topic with records holds the generator back until
     * it does: say so once when that lasts a minute (no consumer of this version in the group,
     * rather than one still starting).
     */
    private void warnOnceWhenNeverCommitted(Map<TopicPartition, Long> done, long lag) {
        if (!done.isEmpty() || lag == 0) {
            neverCommittedSince = null;
            return;
        }
        long now = System.nanoTime();
        if (neverCommittedSince == null) {
            neverCommittedSince = now;
        }
        if (now - neverCommittedSince >= NEVER_COMMITTED_WARNING.toNanos()
                && !warnedNeverCommitted) {
            warnedNeverCommitted = true;
            LOG.log(System.Logger.Level.WARNING, "pacing: group " + group + " has committed no "
                    + "offset on " + topic + ", so all " + lag + " of its records count as lag;"
                    + " is a consumer of this version running in that group?");
        }
    }

    private static Map<TopicPartition, Long> offsets(
            Map<TopicPartition, ListOffsetsResultInfo> ends) {
        return ends.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private Map<TopicPartition, Long> committedOffsets(
            Map<TopicPartition, OffsetAndMetadata> committed) {
        // A partition the group never committed may come back with a null value; the group's
        // offsets on other topics do not count.
        return committed.entrySet().stream()
                .filter(e -> e.getValue() != null && e.getKey().topic().equals(topic))
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }
}
