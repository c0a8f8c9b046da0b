package ai.collectiveagency.demo.cli;

import static ai.collectiveagency.demo.PipelineEvents.checkpoint;
import static ai.collectiveagency.demo.PipelineEvents.heldOut;
import static ai.collectiveagency.demo.PipelineEvents.negotiation;
import static ai.collectiveagency.demo.PipelineEvents.step;
import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.demo.dashboard.BrokerOffsets;
import ai.collectiveagency.demo.dashboard.ConsumerLag;
import ai.collectiveagency.demo.dashboard.OffsetReader;
import ai.collectiveagency.demo.dashboard.RunSeries;
import ai.collectiveagency.demo.report.MetricsLog;
import ai.collectiveagency.demo.report.RunRecord;
import ai.collectiveagency.demo.report.RunSummary;
import ai.collectiveagency.demo.samples.SampleLog;
import ai.collectiveagency.kafka.LocalKafka;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.PipelineClient;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import ai.collectiveagency.schemas.kafka.EvalResultSerializer;
import ai.collectiveagency.schemas.kafka.KafkaClientSettings;
import ai.collectiveagency.schemas.kafka.PolicyCheckpointSerializer;
import ai.collectiveagency.schemas.kafka.ScoredGroupSerializer;
import ai.collectiveagency.schemas.kafka.TrainingMetricsSerializer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's reading of the topics on a real local broker: the readers hand the run's events
 * (both record types of the metrics topic) to the run record and know the checkpoint from before
 * the run; the offset reader's lag of a committing consumer group is end minus committed. On the
 * secured broker, as the read-only observer the demo connects as: its ACLs are enough.
 */
class TopicsOnBrokerTest {

    private static final TopicCatalogue TOPICS = TopicCatalogue.defaults();
    private static LocalKafka kafka;
    /** Each topic is written by its writer in the catalogue, as that service's user. */
    private static final Map<PipelineClient, KafkaProducer<String, byte[]>> WRITERS =
            new EnumMap<>(PipelineClient.class);

    @TempDir
    Path folder;

    @BeforeAll
    static void broker() {
        kafka = LocalKafka.startTemporarySecure();
    }

    @AfterAll
    static void stop() {
        WRITERS.values().forEach(KafkaProducer::close);
        kafka.close();
    }

    private static void send(LogicalTopic topic, int partition, byte[] value) throws Exception {
        PipelineClient writer = TOPICS.spec(topic).access().writers().iterator().next();
        WRITERS.computeIfAbsent(writer, w -> new KafkaProducer<>(
                kafka.clientSettings(w).producer("test-" + w.user()), new StringSerializer(),
                new ByteArraySerializer()))
                .send(new ProducerRecord<>(TOPICS.name(topic), partition, "k", value)).get();
    }

    /** What the demo's readers and dashboard connect as: the read-only observer. */
    private static KafkaClientSettings observer() {
        return kafka.clientSettings(PipelineClient.OBSERVER);
    }

    @Test
    void readersHandTheRunsEventsToTheRecordAndKnowTheCheckpointFromBefore() throws Exception {
        String checkpoints = TOPICS.name(LogicalTopic.CHECKPOINTS);
        String metrics = TOPICS.name(LogicalTopic.METRICS);
        send(LogicalTopic.CHECKPOINTS, 0,
                new PolicyCheckpointSerializer().serialize(checkpoints, checkpoint(4, 8, 30)));
        send(LogicalTopic.METRICS, 0,
                new TrainingMetricsSerializer().serialize(metrics, step(8, 0.9)));
        try (TopicReaders readers = TopicReaders.open(observer(), TOPICS);
                RunRecord record = new RunRecord(new RunSeries(), SampleLog.open(folder),
                        MetricsLog.create(folder.resolve(MetricsLog.FILE)), Instant.now())) {
            send(LogicalTopic.METRICS, 1, "not avro".getBytes(StandardCharsets.UTF_8));
            send(LogicalTopic.METRICS, 1,
                    new TrainingMetricsSerializer().serialize(metrics, step(9, 0.5)));
            send(LogicalTopic.METRICS, 2,
                    new EvalResultSerializer().serialize(metrics, heldOut(9, 4, 8, 0.4)));
            send(LogicalTopic.SCORED, 0, new ScoredGroupSerializer().serialize(
                    TOPICS.name(LogicalTopic.SCORED), negotiation("g", 4, "x", 0.1, 0.3)));
            send(LogicalTopic.CHECKPOINTS, 0,
                    new PolicyCheckpointSerializer().serialize(checkpoints, checkpoint(5, 10, 31)));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline && (record.checkpointVersion() < 5
                    || record.lastHeldOut().isEmpty() || record.fleetVersion() < 4)) {
                readers.pollInto(record);
            }

            RunSummary summary = record.summary("broker", Instant.now());
            assertThat(record.steps()).as("steps of the run only, the bad record skipped")
                    .isEqualTo(1);
            assertThat(record.lastHeldOut().orElseThrow().rewardMean()).isEqualTo(0.4);
            assertThat(summary.groupsScored()).isEqualTo(1);
            assertThat(summary.checkpoints()).as("v5 only: v4 is from before the run")
                    .isEqualTo(1);
            assertThat(record.trainerOffsets()).containsEntry(
                    TOPICS.name(LogicalTopic.SCORED) + "-0", 31L);
        }
    }

    @Test
    void aCommittingGroupsLagIsWhatItHasNotCommittedAndTheTopicsCountIsItsEndOffsets()
            throws Exception {
        String prompts = TOPICS.name(LogicalTopic.PROMPTS);
        long before;
        try (OffsetReader reader = OffsetReader.connect(observer(), List.of(prompts),
                Duration.ofSeconds(10))) {
            before = reader.read().orElseThrow().written(prompts);
        }
        for (int i = 0; i < 5; i++) {
            send(LogicalTopic.PROMPTS, 0, new byte[] {(byte) i});
        }
        commit("rollout-service", new TopicPartition(prompts, 0), before + 2);
        try (OffsetReader reader = OffsetReader.connect(observer(), List.of(prompts),
                Duration.ofSeconds(10))) {
            BrokerOffsets offsets = reader.read().orElseThrow();

            assertThat(offsets.written(prompts)).isEqualTo(before + 5);
            assertThat(ConsumerLag.of(offsets, TOPICS.name(LogicalTopic.SCORED), Map.of()))
                    .containsEntry("rollout-service", 3L);
        }
    }

    /**
     * Commits {@code offset} as a subscribed member of {@code group}, as the rollout-service
     * does (and as its user).
     */
    private static void commit(String group, TopicPartition partition, long offset) {
        Map<String, Object> props = kafka.clientSettings(PipelineClient.ROLLOUT_SERVICE)
                .assignedConsumer("test-rollout");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props,
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(partition.topic()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.assignment().isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200));
            }
            consumer.commitSync(Map.of(partition, new OffsetAndMetadata(offset)));
        }
    }
}
