package ai.collectiveagency.prompts.pacing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads a consumer group's lag on one topic with the Kafka {@link Admin} client: the topic's
 * partitions, their latest end offsets and the group's committed offsets, combined by
 * {@link ConsumerLag}. The Admin client may serve several sources; its owner closes it.
 */
public final class AdminLagSource implements LagSource {

    private final Admin admin;
    private final String group;
    private final String topic;
    private final Duration timeout;

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
            Map<TopicPartition, ListOffsetsResultInfo> ends = admin.listOffsets(latest)
                    .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Map<TopicPartition, OffsetAndMetadata> committed = admin
                    .listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return ConsumerLag.of(offsets(ends), committedOffsets(committed));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LagUnavailableException("interrupted while reading the lag", e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // Broker unreachable, topic or group unknown, timeouts: all "not now", none fatal.
            throw new LagUnavailableException("cannot read the lag of group " + group
                    + " on " + topic + ": " + e, e);
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
