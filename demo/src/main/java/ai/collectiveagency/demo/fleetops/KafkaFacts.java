package ai.collectiveagency.demo.fleetops;

import ai.collectiveagency.demo.dashboard.BrokerOffsets;
import ai.collectiveagency.demo.dashboard.ConsumerLag;
import ai.collectiveagency.schemas.PolicyCheckpoint;
import ai.collectiveagency.schemas.kafka.KafkaClientSettings;
import ai.collectiveagency.schemas.kafka.PolicyCheckpointDeserializer;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What {@code ./pipeline fleet} reads from Kafka: a topic's partitions, the newest announced
 * checkpoint (the checkpoints topic read committed, as the rollout fleet reads it) and the
 * stages' consumer lag. Every call to the broker is bounded by one timeout; on a secured
 * cluster the {@code observer} user may do all of it.
 */
final class KafkaFacts implements AutoCloseable {

    /** How long the brokers have to answer before Kafka counts as unreachable. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    /**
     * Checkpoint records read back from the end. The topic is compacted to one record per
     * version key; the newest is among the last few (a transaction's marker may be last).
     */
    private static final int LOOKBACK = 16;

    private final KafkaClientSettings settings;
    private final Admin admin;
    private final Duration timeout;

    private KafkaFacts(KafkaClientSettings settings, Admin admin, Duration timeout) {
        this.settings = settings;
        this.admin = admin;
        this.timeout = timeout;
    }

    /** @throws KafkaException when not even a client can be made (an unresolvable address) */
    static KafkaFacts connect(KafkaClientSettings settings, Duration timeout) {
        return new KafkaFacts(settings, Admin.create(settings.admin("fleet-admin", timeout)),
                timeout);
    }

    /**
     * The view {@code fleet status} shows: the newest checkpoint and each stage's lag, or why
     * Kafka could not tell.
     */
    static KafkaView view(KafkaClientSettings settings, TopicCatalogue topics,
            Duration timeout) {
        try (KafkaFacts kafka = connect(settings, timeout)) {
            Optional<PolicyCheckpoint> newest = kafka.newestCheckpoint(
                    topics.name(LogicalTopic.CHECKPOINTS));
            OptionalLong pinned = FleetPins.current(settings, topics, timeout)
                    .filter(pin -> pin.getPinned() && pin.getVersion() != null)
                    .map(pin -> OptionalLong.of(pin.getVersion())).orElse(OptionalLong.empty());
            return new KafkaView.Reached(newest.map(c -> OptionalLong.of(c.getVersion()))
                    .orElse(OptionalLong.empty()), kafka.lag(topics, newest), pinned);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new KafkaView.Unreachable("interrupted");
        } catch (ExecutionException | TimeoutException | KafkaException | FleetException e) {
            return new KafkaView.Unreachable(reason(settings, e));
        }
    }

    /** Why {@code e} means no answer, in words: the address and the cause. */
    static String reason(KafkaClientSettings settings, Exception e) {
        String brokers = String.valueOf(settings.asMap().get("bootstrap.servers"));
        if (e instanceof TimeoutException
                || e instanceof org.apache.kafka.common.errors.TimeoutException
                || e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
            return "no broker at " + brokers + " answered within " + TIMEOUT.toSeconds() + " s";
        }
        return "the brokers at " + brokers + " failed: " + FleetException.rootCause(e);
    }

    /** The partitions of {@code topic} on the cluster. */
    int partitions(String topic) throws ExecutionException, TimeoutException,
            InterruptedException {
        return get(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic).partitions()
                .size();
    }

    /** The announcement with the highest version; empty before the first one. */
    Optional<PolicyCheckpoint> newestCheckpoint(String topic) {
        PolicyCheckpointDeserializer manifests = new PolicyCheckpointDeserializer();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                settings.assignedConsumer("fleet-checkpoints", timeout),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
            Map<TopicPartition, Long> starts = consumer.beginningOffsets(partitions, timeout);
            ends.forEach((p, end) -> consumer.seek(p, Math.max(starts.get(p), end - LOOKBACK)));
            Optional<PolicyCheckpoint> newest = Optional.empty();
            Instant deadline = Instant.now().plus(timeout);
            while (!atEnd(consumer, ends) && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() == null) {
                        continue;
                    }
                    Optional<PolicyCheckpoint> manifest = decoded(manifests, r);
                    if (manifest.isPresent() && (newest.isEmpty()
                            || manifest.get().getVersion() > newest.get().getVersion())) {
                        newest = manifest;
                    }
                }
            }
            return newest;
        }
    }

    /**
     * Each stage's lag (its group's end minus committed offsets, over its input's partitions)
     * and the trainer's (the scored records after its newest checkpoint's offsets), by service:
     * the dashboard's measure ({@link ConsumerLag}).
     */
    Map<String, Long> lag(TopicCatalogue topics, Optional<PolicyCheckpoint> newest)
            throws ExecutionException, TimeoutException, InterruptedException {
        Map<String, Stage> stages = Stage.all(topics);
        Map<String, ListConsumerGroupOffsetsSpec> groups = stages.values().stream().collect(
                Collectors.toMap(Stage::group, s -> new ListConsumerGroupOffsetsSpec(),
                        (a, b) -> a));
        Map<String, Map<TopicPartition, OffsetAndMetadata>> all =
                get(admin.listConsumerGroupOffsets(groups).all());
        Map<String, Map<TopicPartition, Long>> committed = new HashMap<>();
        all.forEach((group, offsets) -> committed.put(group, offsets.entrySet().stream()
                // A partition the group never committed may come back with a null value.
                .filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()))));
        String scored = topics.name(LogicalTopic.SCORED);
        List<String> read = new ArrayList<>(stages.values().stream()
                .map(s -> s.input().name()).distinct().toList());
        read.add(scored);
        List<TopicPartition> partitions = partitionsOf(read);
        BrokerOffsets offsets = new BrokerOffsets(offsets(partitions, OffsetSpec.earliest()),
                offsets(partitions, OffsetSpec.latest()), committed);
        Map<String, Long> byGroup = ConsumerLag.of(offsets, scored, newest
                .map(PolicyCheckpoint::getConsumedOffsets).orElse(Map.of()));
        Map<String, Long> byService = new HashMap<>();
        stages.values().forEach(stage -> byService.put(stage.service(),
                committed.getOrDefault(stage.group(), Map.of()).isEmpty()
                        ? lagWithoutCommits(offsets, stage.input().name())
                        : byGroup.get(stage.group())));
        if (byGroup.containsKey(ConsumerLag.TRAINER)) {
            byService.put(Stage.trainer(), byGroup.get(ConsumerLag.TRAINER));
        }
        return byService;
    }

    /** A group that never committed starts from the earliest offsets: all of it is lag. */
    private static long lagWithoutCommits(BrokerOffsets offsets, String topic) {
        return offsets.latest().entrySet().stream().filter(e -> e.getKey().topic().equals(topic))
                .mapToLong(e -> e.getValue() - offsets.earliest().getOrDefault(e.getKey(), 0L))
                .sum();
    }

    private List<TopicPartition> partitionsOf(Collection<String> names)
            throws ExecutionException, TimeoutException, InterruptedException {
        Map<String, TopicDescription> described = get(admin.describeTopics(names)
                .allTopicNames());
        return described.values().stream().flatMap(d -> d.partitions().stream()
                .map(p -> new TopicPartition(d.name(), p.partition()))).toList();
    }

    private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec)
            throws ExecutionException, TimeoutException, InterruptedException {
        // Committed records only: what the stages, which read committed, can ever consume.
        return get(admin.listOffsets(partitions.stream().collect(
                Collectors.toMap(Function.identity(), p -> spec)),
                new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all())
                .entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    /** A record that is not a manifest the schemas know is not an announcement: skipped. */
    private static Optional<PolicyCheckpoint> decoded(PolicyCheckpointDeserializer manifests,
            ConsumerRecord<String, byte[]> r) {
        try {
            return Optional.of(manifests.deserialize(r.topic(), r.value()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private boolean atEnd(KafkaConsumer<String, byte[]> consumer,
            Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey(), timeout)
                >= e.getValue());
    }

    private <T> T get(KafkaFuture<T> future)
            throws ExecutionException, TimeoutException, InterruptedException {
        return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        admin.close(timeout);
    }
}
