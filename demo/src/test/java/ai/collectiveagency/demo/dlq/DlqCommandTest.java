package ai.collectiveagency.demo.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.kafka.LocalKafka;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import ai.collectiveagency.schemas.kafka.DeadLetters;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./pipeline dlq} against a real local broker: dead letters as the pipeline's consumers
 * write them ({@link DeadLetters#of}), listed with their reasons, and replayed to their origin
 * with the exact key and bytes. Each test has topics of its own (a catalogue under its own
 * prefix on the shared broker).
 */
class DlqCommandTest {

    private static final AtomicInteger RUNS = new AtomicInteger();
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(20);
    private static LocalKafka kafka;

    @TempDir
    Path root;

    private TopicCatalogue topics;
    private String scored;
    private String scoredDlq;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void startBroker() {
        kafka = LocalKafka.startTemporary();
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @BeforeEach
    void ownTopics() throws Exception {
        topics = TopicCatalogue.withPrefix("dlq-" + RUNS.incrementAndGet() + ".");
        try (Admin admin = kafka.createAdmin()) {
            topics.ensureTopics(admin);
        }
        scored = topics.name(LogicalTopic.SCORED);
        scoredDlq = topics.dlqName(LogicalTopic.SCORED);
    }

    @Test
    void listShowsEachDeadLetterWithItsReasonAndOrigin() throws Exception {
        deadLetter(scored, 1, 42, "task-1", bytes(100), "stale: sampled 9 versions behind");
        deadLetter(scored, 2, 7, "task-2", null, "tombstone");

        assertThat(run("list", scored)).isZero();

        assertThat(output()).contains("task-1", "stale: sampled 9 versions behind",
                scored + ":1:42", "task-2", "tombstone", scored + ":2:7",
                "2 dead letter(s) on " + scoredDlq);
    }

    @Test
    void listAsJsonIsOneObjectPerLineWithEveryField() throws Exception {
        deadLetter(scored, 0, 3, "task-a", bytes(10), "undecodable");
        deadLetter(scored, 0, 4, "task-b", bytes(20), "unfit group");
        deadLetter(scored, 0, 5, "task-c", bytes(30), "quarantined");

        assertThat(run("list", scoredDlq, "--json", "--limit", "2")).isZero();

        List<JsonNode> lines = new ArrayList<>();
        for (String line : output().strip().split("\n")) {
            lines.add(new ObjectMapper().readTree(line));
        }
        assertThat(lines).extracting(line -> line.get("key").asText())
                .containsExactly("task-b", "task-c");
        JsonNode last = lines.get(1);
        assertThat(last.get("reason").asText()).isEqualTo("quarantined");
        assertThat(last.get("origin_topic").asText()).isEqualTo(scored);
        assertThat(last.get("origin_offset").asLong()).isEqualTo(5);
        assertThat(last.get("size").asInt()).isEqualTo(30);
        assertThat(last.get("offset").asLong()).isEqualTo(2);
    }

    @Test
    void replayPutsTheExactKeyAndBytesBackOnTheOriginWithTheReplayHeader() throws Exception {
        byte[] group = bytes(4096);
        deadLetter(scored, 1, 11, "task-x", bytes(50), "unfit group");
        deadLetter(scored, 2, 12, "task-y", group, "step threw on this group");

        assertThat(run("replay", scored, "--offsets", "1")).isZero();

        List<ConsumerRecord<byte[], byte[]>> replayed = readAll(scored, 1);
        ConsumerRecord<byte[], byte[]> record = replayed.get(0);
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("task-y");
        assertThat(record.value()).isEqualTo(group);
        assertThat(DeadLetters.header(record.headers(), DeadLetters.REPLAYED_FROM))
                .contains(scoredDlq + ":0:1");
        assertThat(DeadLetters.header(record.headers(), "trace")).contains("trace-task-y");
        assertThat(DeadLetters.header(record.headers(), DeadLetters.REASON)).isEmpty();
        assertThat(output()).contains("replayed " + scoredDlq + ":0:1 -> " + scored);
    }

    @Test
    void replayOfAllWithAKeySendsOnlyThatKeysDeadLetters() throws Exception {
        deadLetter(scored, 0, 1, "task-1", bytes(5), "unfit group");
        deadLetter(scored, 0, 2, "task-2", bytes(6), "unfit group");
        deadLetter(scored, 0, 3, "task-1", bytes(7), "unfit group");

        assertThat(run("replay", scoredDlq, "--all", "--key", "task-1")).isZero();

        assertThat(readAll(scored, 2)).extracting(r -> new String(r.key(),
                StandardCharsets.UTF_8)).containsOnly("task-1");
        assertThat(endOffsets(scored)).isEqualTo(2);
    }

    @Test
    void dryRunSaysWhatItWouldSendAndSendsNothing() throws Exception {
        deadLetter(scored, 0, 1, "task-1", bytes(5), "unfit group");
        deadLetter(scored, 0, 2, "task-2", bytes(6), "unfit group");

        assertThat(run("replay", scored, "--all", "--dry-run")).isZero();

        assertThat(output()).contains("would replay " + scoredDlq + ":0:0 -> " + scored,
                "would replay " + scoredDlq + ":0:1 -> " + scored, "nothing sent");
        assertThat(endOffsets(scored)).isZero();
    }

    @Test
    void deadLetterWhoseOriginIsNotOnTheClusterRefusesTheWholeReplay() throws Exception {
        deadLetter(scored, 0, 1, "task-1", bytes(5), "unfit group");
        deadLetter("gone.scored", 0, 9, "task-2", bytes(6), "unfit group");

        assertThat(run("replay", scored, "--all")).isEqualTo(DlqCommand.FAILED);

        assertThat(errors()).contains("cannot resolve the origin", scoredDlq + ":0:1",
                "gone.scored", "nothing sent");
        assertThat(endOffsets(scored)).isZero();
    }

    @Test
    void offsetThatIsNotThereRefusesTheReplay() throws Exception {
        deadLetter(scored, 0, 1, "task-1", bytes(5), "unfit group");

        assertThat(run("replay", scored, "--offsets", "0,8")).isEqualTo(DlqCommand.FAILED);

        assertThat(errors()).contains("no dead letter at offset(s) 8");
        assertThat(endOffsets(scored)).isZero();
    }

    /** A dead letter of the record at {@code origin}:{@code partition}:{@code offset}. */
    private void deadLetter(String origin, int partition, long offset, String key, byte[] value,
            String reason) throws Exception {
        RecordHeaders headers = new RecordHeaders();
        headers.add(new RecordHeader("trace",
                ("trace-" + key).getBytes(StandardCharsets.UTF_8)));
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(origin, partition, offset,
                0L, TimestampType.CREATE_TIME, 0, 0, key.getBytes(StandardCharsets.UTF_8),
                value, headers, java.util.Optional.empty());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(DeadLetters.of(scoredDlq, record, reason,
                    new IllegalStateException(reason))).get();
        }
    }

    private int run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap-server", kafka.bootstrapServers()));
        PrintStream savedErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return new CommandLine(new DlqCommand(root, new PrintStream(out, true,
                    StandardCharsets.UTF_8))).execute(all.toArray(String[]::new));
        } finally {
            System.setErr(savedErr);
        }
    }

    private String output() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String errors() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    /** The first {@code count} records of {@code topic}, every partition. */
    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int count) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        assertThat(records).as("records on " + topic).hasSize(count);
        return records;
    }

    /** Records on {@code topic}, all partitions together. */
    private static long endOffsets(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            return consumer.endOffsets(partitions(consumer, topic)).values().stream()
                    .mapToLong(Long::longValue).sum();
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        return consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
    }
}
