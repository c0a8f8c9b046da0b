package ai.collectiveagency.demo.cli;

import ai.collectiveagency.demo.report.RunRecord;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import ai.collectiveagency.schemas.EvalResult;
import ai.collectiveagency.schemas.PolicyCheckpoint;
import ai.collectiveagency.schemas.ScoredGroup;
import ai.collectiveagency.schemas.TrainingMetrics;
import ai.collectiveagency.schemas.kafka.KafkaClientSettings;
import ai.collectiveagency.schemas.kafka.MetricsEventDeserializer;
import ai.collectiveagency.schemas.kafka.PolicyCheckpointDeserializer;
import ai.collectiveagency.schemas.kafka.ScoredGroupDeserializer;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The run's view of the topics: metrics (step metrics and evaluations), scored groups and
 * checkpoints, each read from where it ended when the readers opened (open them before the
 * services start, so that nothing of the run is missed), plus the newest checkpoint from before
 * (the one the trainer resumes from). The readers join no consumer group: they leave nothing on
 * the broker and do not show up in the lag chart. A record that cannot be decoded is skipped
 * with a warning, never retried: the charts go on without it.
 */
final class TopicReaders implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(TopicReaders.class.getName());
    private static final Duration OPEN = Duration.ofSeconds(30);

    private final KafkaConsumer<String, byte[]> metrics;
    private final KafkaConsumer<String, byte[]> scored;
    private final KafkaConsumer<String, byte[]> checkpoints;
    private final Map<TopicPartition, Long> checkpointsAtOpen;
    private final MetricsEventDeserializer metricsEvents = new MetricsEventDeserializer();
    private final ScoredGroupDeserializer scoredGroups = new ScoredGroupDeserializer();
    private final PolicyCheckpointDeserializer manifests = new PolicyCheckpointDeserializer();
    private final Set<String> warned = new HashSet<>();

    private TopicReaders(KafkaConsumer<String, byte[]> metrics,
            KafkaConsumer<String, byte[]> scored, KafkaConsumer<String, byte[]> checkpoints,
            Map<TopicPartition, Long> checkpointsAtOpen) {
        this.metrics = metrics;
        this.scored = scored;
        this.checkpoints = checkpoints;
        this.checkpointsAtOpen = checkpointsAtOpen;
    }

    /** Readers with {@code kafka}'s settings: on a secured broker, the observer's. */
    static TopicReaders open(KafkaClientSettings kafka, TopicCatalogue topics) {
        KafkaConsumer<String, byte[]> metrics = consumer(kafka, "demo-metrics");
        KafkaConsumer<String, byte[]> scored = consumer(kafka, "demo-scored");
        KafkaConsumer<String, byte[]> checkpoints = consumer(kafka, "demo-checkpoints");
        atEnd(metrics, topics.name(LogicalTopic.METRICS));
        atEnd(scored, topics.name(LogicalTopic.SCORED));
        List<TopicPartition> partitions = assign(checkpoints,
                topics.name(LogicalTopic.CHECKPOINTS));
        Map<TopicPartition, Long> ends = checkpoints.endOffsets(partitions, OPEN);
        Map<TopicPartition, Long> starts = checkpoints.beginningOffsets(partitions, OPEN);
        // One record back: the compacted topic's last record is the newest manifest.
        ends.forEach((p, end) -> checkpoints.seek(p, Math.max(starts.get(p), end - 1)));
        return new TopicReaders(metrics, scored, checkpoints, Map.copyOf(ends));
    }

    /** Hands what arrived since the last call to {@code record}; waits up to about 0.7 s. */
    void pollInto(RunRecord record) {
        for (ConsumerRecord<String, byte[]> r : metrics.poll(Duration.ofMillis(300))) {
            SpecificRecord event = decode(metricsEvents, r);
            if (event instanceof TrainingMetrics step) {
                record.step(step);
            } else if (event instanceof EvalResult evaluation) {
                record.evaluation(evaluation);
            }
        }
        for (ConsumerRecord<String, byte[]> r : scored.poll(Duration.ofMillis(300))) {
            ifDecoded(scoredGroups, r, record::scored);
        }
        for (ConsumerRecord<String, byte[]> r : checkpoints.poll(Duration.ofMillis(100))) {
            boolean before = r.offset() < checkpointsAtOpen.getOrDefault(
                    new TopicPartition(r.topic(), r.partition()), 0L);
            ifDecoded(manifests, r, before ? record::resumedFrom
                    : checkpoint -> record.checkpoint(checkpoint, r.timestamp()));
        }
    }

    private <T> void ifDecoded(Deserializer<T> values, ConsumerRecord<String, byte[]> r,
            Consumer<T> use) {
        T value = decode(values, r);
        if (value != null) {
            use.accept(value);
        }
    }

    private <T> T decode(Deserializer<T> values, ConsumerRecord<String, byte[]> r) {
        try {
            return values.deserialize(r.topic(), r.value());
        } catch (RuntimeException e) {
            if (warned.add(r.topic())) {
                LOG.log(System.Logger.Level.WARNING, "skipping undecodable records of "
                        + r.topic() + " (first at offset " + r.offset() + "): " + e.getMessage());
            }
            return null;
        }
    }

    private static KafkaConsumer<String, byte[]> consumer(KafkaClientSettings kafka,
            String clientId) {
        return new KafkaConsumer<>(kafka.assignedConsumer(clientId), new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    private static void atEnd(KafkaConsumer<String, byte[]> consumer, String topic) {
        List<TopicPartition> partitions = assign(consumer, topic);
        consumer.seekToEnd(partitions);
        // seekToEnd is lazy: asking for the positions fixes them now, not at the first poll.
        partitions.forEach(p -> consumer.position(p, OPEN));
    }

    private static List<TopicPartition> assign(KafkaConsumer<String, byte[]> consumer,
            String topic) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, OPEN).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        return partitions;
    }

    @Override
    public void close() {
        metrics.close();
        scored.close();
        checkpoints.close();
    }
}
