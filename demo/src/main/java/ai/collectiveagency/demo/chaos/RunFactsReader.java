package ai.collectiveagency.demo.chaos;

import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.PipelineClient;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.schemas.kafka.DeadLetters;
import ai.collectiveagency.schemas.kafka.KafkaClientSettings;
import ai.collectiveagency.schemas.kafka.PromptTaskDeserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a run's {@link RunFacts} from the broker and the trainer's store: the three stages'
 * topics and their DLQs from the start, committed records only ({@code read_committed}: what
 * an aborted transaction wrote never happened), the committed offsets of the consumer groups
 * {@code rollout-service} and {@code reward-service} (each group is named after its service),
 * and the trainer's latest valid checkpoint and ledger. Joins no consumer group and commits
 * nothing.
 */
final class RunFactsReader implements AutoCloseable {

    private static final Duration CALL = Duration.ofSeconds(30);

    private final TopicCatalogue topics;
    private final TrainerStore store;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Admin admin;
    private final PromptTaskDeserializer tasks = new PromptTaskDeserializer();

    private RunFactsReader(TopicCatalogue topics, TrainerStore store,
            KafkaConsumer<String, byte[]> consumer, Admin admin) {
        this.topics = topics;
        this.store = store;
        this.consumer = consumer;
        this.admin = admin;
    }

    /** A reader with {@code kafka}'s settings of {@code topics} and the trainer's store. */
    static RunFactsReader open(KafkaClientSettings kafka, TopicCatalogue topics, TrainerStore store) {
        Map<String, Object> props = kafka.assignedConsumer("chaos-reconcile", CALL);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                IsolationLevel.READ_COMMITTED.toString().toLowerCase(Locale.ROOT));
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        return new RunFactsReader(topics, store, new KafkaConsumer<>(props,
                new StringDeserializer(), new ByteArrayDeserializer()),
                Admin.create(kafka.admin("chaos-reconcile", CALL)));
    }

    /** The facts now; {@code poison} are the keys of the poison records injected so far. */
    RunFacts read(Set<String> poison) throws InterruptedException {
        String prompts = topics.name(LogicalTopic.PROMPTS);
        String rollouts = topics.name(LogicalTopic.ROLLOUTS);
        String scored = topics.name(LogicalTopic.SCORED);
        // Offsets before records: a record read after its offset was committed is counted as
        // consumed, never one consumed after the read as still waiting.
        Map<Integer, Long> rolloutCommitted = committed(PipelineClient.ROLLOUT_SERVICE.user(),
                prompts);
        Map<Integer, Long> rewardCommitted = committed(PipelineClient.REWARD_SERVICE.user(),
                rollouts);
        Optional<TrainerStore.Checkpoint> checkpoint = store.latestValid();
        List<DeadLetter> deadLetters = new ArrayList<>();
        for (LogicalTopic stage : List.of(LogicalTopic.PROMPTS, LogicalTopic.ROLLOUTS,
                LogicalTopic.SCORED)) {
            String dlq = topics.dlqName(stage);
            for (ConsumerRecord<String, byte[]> r : readAll(dlq)) {
                DeadLetters.header(r.headers(), DeadLetters.REASON).ifPresent(
                        reason -> deadLetters.add(new DeadLetter(dlq, r.key(), reason)));
            }
        }
        return new RunFacts(taskRecords(prompts), keyed(readAll(rollouts)),
                keyed(readAll(scored)), rolloutCommitted, rewardCommitted,
                checkpoint.map(c -> c.offsetsOf(scored)).orElse(Map.of()),
                checkpoint.map(c -> store.ledger(c.version())).orElse(List.of()), deadLetters,
                poison);
    }

    /** The tasks on prompts, by their decoded task id (their key when undecodable). */
    private List<StageRecord> taskRecords(String topic) {
        List<StageRecord> records = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : readAll(topic)) {
            if (PoisonRecords.isPoison(r.key()) || r.value() == null) {
                continue;
            }
            String id;
            try {
                PromptTask task = tasks.deserialize(topic, r.value());
                id = task.getTaskId();
            } catch (RuntimeException undecodable) {
                id = r.key();
            }
            if (id != null) {
                records.add(new StageRecord(id, r.partition(), r.offset()));
            }
        }
        return records;
    }

    /** The records keyed by a task id: every record but poison and keyless ones. */
    private static List<StageRecord> keyed(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().filter(r -> r.key() != null && !PoisonRecords.isPoison(r.key()))
                .map(r -> new StageRecord(r.key(), r.partition(), r.offset())).toList();
    }

    /** Every committed record of {@code topic}, from the start to the last stable offset. */
    private List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, CALL).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        // With read_committed, the end offsets are the last stable offsets.
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, CALL);
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        long deadline = System.nanoTime() + CALL.toNanos();
        while (partitions.stream().anyMatch(p -> consumer.position(p, CALL) < ends.get(p))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("cannot read " + topic + " to its end "
                        + ends + " within " + CALL);
            }
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records;
    }

    /** {@code group}'s committed offsets on {@code topic}, by partition. */
    private Map<Integer, Long> committed(String group, String topic)
            throws InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> offsets;
        try {
            offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(CALL.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the offsets of group " + group, e);
        }
        Map<Integer, Long> byPartition = new HashMap<>();
        offsets.forEach((partition, offset) -> {
            if (offset != null && partition.topic().equals(topic)) {
                byPartition.put(partition.partition(), offset.offset());
            }
        });
        return byPartition;
    }

    @Override
    public void close() {
        consumer.close(CALL);
        admin.close(CALL);
    }
}
