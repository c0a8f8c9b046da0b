package ai.collectiveagency.demo.dashboard;

import ai.collectiveagency.schemas.kafka.KafkaClientSettings;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads {@link BrokerOffsets} with Kafka's {@link Admin} client: every consumer group
 * ({@code listGroups}) and its committed offsets ({@code listConsumerGroupOffsets}),
 * and the earliest and end offsets ({@code listOffsets}) of the watched topics and of every topic
 * a group committed on. Owns the Admin client and closes it.
 */
public final class OffsetReader implements AutoCloseable {

    private final Admin admin;
    private final List<String> topics;
    private final Duration timeout;

    /**
     * @param topics topics whose offsets are read even when no group consumes them
     * @param timeout the longest one call to the broker may take
     */
    public OffsetReader(Admin admin, List<String> topics, Duration timeout) {
        this.admin = admin;
        this.topics = List.copyOf(topics);
        this.timeout = timeout;
    }

    /**
     * A reader on its own Admin client with {@code kafka}'s settings (on a secured broker, the
     * observer's: it may describe the topics and the consumer groups, nothing more).
     */
    public static OffsetReader connect(KafkaClientSettings kafka, List<String> topics,
            Duration timeout) {
        return new OffsetReader(Admin.create(kafka.admin("demo-offsets", timeout)), topics,
                timeout);
    }

    /**
     * The offsets now, or empty when the broker cannot tell (unreachable, stopping, a timeout):
     * the charts then show a gap, nothing stops.
     */
    public Optional<BrokerOffsets> read() {
        try {
            Map<String, Map<TopicPartition, Long>> committed = committed();
            Set<String> watched = new HashSet<>(topics);
            committed.values().forEach(offsets -> offsets.keySet()
                    .forEach(partition -> watched.add(partition.topic())));
            List<TopicPartition> partitions = partitions(watched);
            return Optional.of(new BrokerOffsets(offsets(partitions, OffsetSpec.earliest()),
                    offsets(partitions, OffsetSpec.latest()), committed));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private Map<String, Map<TopicPartition, Long>> committed()
            throws InterruptedException, ExecutionException, TimeoutException {
        // listGroups for consumer groups: listConsumerGroups' replacement since Kafka 4.1.
        Collection<GroupListing> groups = get(admin.listGroups(
                ListGroupsOptions.forConsumerGroups()).all());
        if (groups.isEmpty()) {
            return Map.of();
        }
        Map<String, ListConsumerGroupOffsetsSpec> specs = groups.stream().collect(
                Collectors.toMap(GroupListing::groupId,
                        g -> new ListConsumerGroupOffsetsSpec(), (a, b) -> a));
        Map<String, Map<TopicPartition, OffsetAndMetadata>> all =
                get(admin.listConsumerGroupOffsets(specs).all());
        Map<String, Map<TopicPartition, Long>> committed = new HashMap<>();
        all.forEach((group, offsets) -> committed.put(group, offsets.entrySet().stream()
                // A partition the group never committed may come back with a null value.
                .filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()))));
        return committed;
    }

    private List<TopicPartition> partitions(Set<String> names)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, TopicDescription> described = get(admin.describeTopics(names)
                .allTopicNames());
        return described.values().stream().flatMap(d -> d.partitions().stream()
                .map(p -> new TopicPartition(d.name(), p.partition()))).toList();
    }

    private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, ListOffsetsResultInfo> infos = get(admin.listOffsets(
                partitions.stream().collect(Collectors.toMap(Function.identity(), p -> spec)))
                .all());
        return infos.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private <T> T get(KafkaFuture<T> future)
            throws InterruptedException, ExecutionException, TimeoutException {
        return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        admin.close(timeout);
    }
}
