package ai.collectiveagency.demo.cli;

import ai.collectiveagency.kafka.LocalKafka;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import ai.collectiveagency.schemas.PolicyCheckpoint;
import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.schemas.RolloutGroup;
import ai.collectiveagency.schemas.ScoredGroup;
import ai.collectiveagency.schemas.TrainingMetrics;
import ai.collectiveagency.schemas.kafka.MetricsEventDeserializer;
import ai.collectiveagency.schemas.kafka.PolicyCheckpointDeserializer;
import ai.collectiveagency.schemas.kafka.PromptTaskDeserializer;
import ai.collectiveagency.schemas.kafka.RolloutGroupDeserializer;
import ai.collectiveagency.schemas.kafka.ScoredGroupDeserializer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Every record a finished run left on its topics, read back from the run folder: a broker is
 * started on the run's {@code kafka/} data (what {@code ./pipeline kafka --data runs/<name>/kafka}
 * does for a user) and each topic is read from its start to its end.
 */
record RunTopics(List<PromptTask> prompts, List<RolloutGroup> rollouts, List<ScoredGroup> scored,
        List<TrainingMetrics> steps, List<PolicyCheckpoint> checkpoints) {

    /** How long reading one topic to its end may take before the test gives up. */
    private static final Duration READ_LIMIT = Duration.ofSeconds(60);

    /** The topics of the run whose broker data is {@code kafkaData}. */
    static RunTopics readBack(Path kafkaData) {
        try (LocalKafka kafka = LocalKafka.start(kafkaData, LocalKafka.ANY_PORT,
                TopicCatalogue.defaults())) {
            String servers = kafka.bootstrapServers();
            TopicCatalogue topics = kafka.catalogue();
            return new RunTopics(
                    all(servers, topics.name(LogicalTopic.PROMPTS), new PromptTaskDeserializer()),
                    all(servers, topics.name(LogicalTopic.ROLLOUTS),
                            new RolloutGroupDeserializer()),
                    all(servers, topics.name(LogicalTopic.SCORED), new ScoredGroupDeserializer()),
                    all(servers, topics.name(LogicalTopic.METRICS), new MetricsEventDeserializer())
                            .stream().filter(TrainingMetrics.class::isInstance)
                            .map(TrainingMetrics.class::cast).toList(),
                    all(servers, topics.name(LogicalTopic.CHECKPOINTS),
                            new PolicyCheckpointDeserializer()));
        }
    }

    /** Every committed record of {@code topic}, from its start to its current end. */
    private static <V> List<V> all(String servers, String topic, Deserializer<V> values) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<V> records = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(props,
                new StringDeserializer(), values)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + READ_LIMIT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(topic + ": not read to its end " + ends
                            + " within " + READ_LIMIT);
                }
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() != null) {  // a tombstone of a compacted topic
                        records.add(record.value());
                    }
                }
            }
        }
        return records;
    }
}
