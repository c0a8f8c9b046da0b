package ai.collectiveagency.demo.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.kafka.LocalKafka;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.PipelineClient;
import ai.collectiveagency.schemas.kafka.DeadLetters;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * On the secured broker the operator's client file is all {@code ./pipeline dlq} needs: its
 * ACLs let it read the trainer's dead letters and write them back to scored.
 */
class DlqCommandSecuredTest {

    @Test
    void operatorListsAndReplaysTheTrainersDeadLetters() throws Exception {
        try (LocalKafka kafka = LocalKafka.startTemporarySecure()) {
            String scored = kafka.catalogue().name(LogicalTopic.SCORED);
            String scoredDlq = kafka.catalogue().dlqName(LogicalTopic.SCORED);
            byte[] group = "a scored group".getBytes(StandardCharsets.UTF_8);
            ConsumerRecord<byte[], byte[]> origin = new ConsumerRecord<>(scored, 0, 5, 0L,
                    TimestampType.CREATE_TIME, 0, 0, "task-9".getBytes(StandardCharsets.UTF_8),
                    group, new RecordHeaders(), Optional.empty());
            try (KafkaProducer<byte[], byte[]> trainer = new KafkaProducer<>(
                    kafka.clientSettings(PipelineClient.TRAINER_SERVICE).producer("trainer"),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                trainer.send(DeadLetters.of(scoredDlq, origin, "unfit group", null)).get();
            }
            Path operator = kafka.clientFile(PipelineClient.OPERATOR).orElseThrow();
            ByteArrayOutputStream out = new ByteArrayOutputStream();

            assertThat(run(out, "list", scored, "--client-config", operator.toString())).isZero();
            assertThat(run(out, "replay", scored, "--all", "--client-config",
                    operator.toString())).isZero();

            assertThat(out.toString(StandardCharsets.UTF_8)).contains("unfit group",
                    "replayed " + scoredDlq + ":0:0 -> " + scored);
            try (KafkaConsumer<byte[], byte[]> observer = new KafkaConsumer<>(
                    kafka.clientSettings(PipelineClient.OBSERVER).assignedConsumer("observer"),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                List<TopicPartition> partitions = observer.partitionsFor(scored).stream()
                        .map(p -> new TopicPartition(scored, p.partition())).toList();
                observer.assign(partitions);
                observer.seekToBeginning(partitions);
                ConsumerRecords<byte[], byte[]> records = ConsumerRecords.empty();
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (records.isEmpty() && System.nanoTime() < deadline) {
                    records = observer.poll(Duration.ofMillis(200));
                }
                assertThat(records).singleElement()
                        .satisfies(r -> assertThat(r.value()).isEqualTo(group));
            }
        }
    }

    private static int run(ByteArrayOutputStream out, String... args) {
        return new CommandLine(new DlqCommand(Path.of("."), new PrintStream(out, true,
                StandardCharsets.UTF_8))).execute(args);
    }
}
