package ai.collectiveagency.demo.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.demo.cli.DemoProcess;
import ai.collectiveagency.demo.fleet.Fleet;
import ai.collectiveagency.kafka.LocalKafka;
import ai.collectiveagency.schemas.RolloutGroup;
import ai.collectiveagency.schemas.kafka.RolloutGroupDeserializer;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Two rollout and two reward replicas, the way a user runs them: {@code ./pipeline demo
 * --replicas rollout-service=2,reward-service=2} as a process on the jars this build packaged
 * (a failsafe test; the script is told not to build). Both rollout replicas adopt a checkpoint
 * (read from their own {@code /q/metrics}); then rollout-service-1 is killed with SIGKILL and
 * rollout-service-0 must take its partitions. Read back from the run's broker data afterwards:
 * no task was rolled out twice, on every partition of the prompts topic every task up to the
 * newest one rolled out was rolled out (or dead-lettered), and on every partition a task written
 * after the kill was rolled out, which only the survivor could have done.
 */
class ReplicasIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path WORK = Path.of("target/replicas-it").toAbsolutePath();
    private static final String RUN = "replicas-it";
    private static final TopicCatalogue TOPICS = TopicCatalogue.defaults();
    /**
     * The loop's time after every service is up: the adoption (about a minute on 2 cores),
     * then the group noticing the killed replica (its session timeout, 45 s) and the survivor
     * rolling out the orphaned partitions' tasks.
     */
    private static final String MINUTES = "3";
    /** Hang guards, not timing assertions: six services start one after the other. */
    private static final Duration SERVICES_UP = Duration.ofMinutes(8);
    private static final Duration ADOPTED = Duration.ofMinutes(2);
    private static final Duration STOPPED = Duration.ofMinutes(6);
    private static final Pattern MANAGEMENT_PORT = Pattern.compile(
            "-Dquarkus\\.management\\.port=(\\d+)");
    private static final Pattern POLICY_VERSION = Pattern.compile(
            "(?m)^rollout_policy_version(?:\\{[^}]*})? ([0-9.Ee+-]+)$");

    private final HttpClient http = HttpClient.newHttpClient();

    /** A record of a topic where the test needs it: partition, offset, time, key. */
    private record Entry<V>(int partition, long offset, long timestamp, String key, V value) {
    }

    @Test
    void bothReplicasAdoptAndTheSurvivorTakesTheKilledOnesPartitionsWithNothingLost()
            throws Exception {
        Path runs = WORK.resolve("runs");
        deleteRecursively(runs.resolve(RUN));
        DemoProcess demo = DemoProcess.start(ROOT, Map.of("PIPELINE_NO_BUILD", "1"),
                WORK.resolve("demo-stderr.log"), List.of("demo", "--minutes", MINUTES,
                        "--replicas", "rollout-service=2,reward-service=2", "--seed", "5",
                        "--runs-dir", runs.toString(), "--run", RUN, "--dashboard-port",
                        Integer.toString(Fleet.freePort())));
        long killedAt;
        OptionalInt exitCode;
        try {
            assertThat(demo.awaitLine(l -> l.startsWith("demo: all services up"), SERVICES_UP))
                    .as("services up; stdout %s; stderr:%n%s", demo.lines(), demo.stderr())
                    .isPresent();
            Map<String, ProcessHandle> rollout = rolloutReplicas(demo);
            assertThat(rollout).containsOnlyKeys("rollout-service-0", "rollout-service-1");

            Map<String, Long> versions = awaitAdoption(rollout);
            assertThat(versions).as("policy version each rollout replica serves")
                    .allSatisfy((replica, version) -> assertThat(version).isPositive());

            killedAt = System.currentTimeMillis();
            ProcessHandle killed = rollout.get("rollout-service-1");
            killed.destroyForcibly();
            killed.onExit().get();
            exitCode = demo.awaitExit(STOPPED);
        } finally {
            demo.destroyTree(Duration.ofSeconds(30));
        }
        assertThat(exitCode).as("demo's exit code; stderr:%n%s", demo.stderr()).hasValue(0);
        assertThat(runs.resolve(RUN).resolve("logs")).isDirectoryContaining(
                "glob:**/rollout-service-1.log").isDirectoryContaining(
                "glob:**/reward-service-1.log");

        Map<String, List<Entry<?>>> topics = readBack(runs.resolve(RUN).resolve("kafka"));
        List<Entry<?>> prompts = topics.get("prompts");
        Set<String> rolledOut = new HashSet<>();
        List<String> twice = new ArrayList<>();
        for (Entry<?> group : topics.get("rollouts")) {
            String task = ((RolloutGroup) group.value()).getTask().getTaskId().toString();
            if (!rolledOut.add(task)) {
                twice.add(task);
            }
        }
        Set<String> deadLettered = topics.get("prompts.dlq").stream().map(Entry::key)
                .collect(Collectors.toSet());
        assertThat(twice).as("tasks rolled out more than once").isEmpty();
        assertThat(prompts.stream().map(Entry::key).collect(Collectors.toSet()))
                .as("prompt tasks").containsAll(rolledOut);

        Map<Integer, List<Entry<?>>> byPartition = prompts.stream().collect(Collectors
                .groupingBy(Entry::partition, TreeMap::new, Collectors.toList()));
        assertThat(byPartition).as("prompt partitions with tasks")
                .hasSize(TOPICS.spec(LogicalTopic.PROMPTS).partitions());
        byPartition.forEach((partition, tasks) -> {
            long newestRolledOut = tasks.stream().filter(t -> rolledOut.contains(t.key()))
                    .mapToLong(Entry::offset).max().orElse(-1);
            List<String> lost = tasks.stream().filter(t -> t.offset() <= newestRolledOut)
                    .map(Entry::key)
                    .filter(task -> !rolledOut.contains(task) && !deadLettered.contains(task))
                    .toList();
            assertThat(lost).as("tasks of partition %d before its newest rolled-out one "
                    + "that were never rolled out", partition).isEmpty();
            assertThat(tasks.stream().filter(t -> rolledOut.contains(t.key()))
                    .filter(t -> t.timestamp() > killedAt).count())
                    .as("tasks of partition %d written after rollout-service-1 was killed "
                            + "and rolled out (by rollout-service-0)", partition).isPositive();
        });
    }

    /** The demo's rollout replicas by replica id, from their command lines. */
    private static Map<String, ProcessHandle> rolloutReplicas(DemoProcess demo) {
        Pattern replicaId = Pattern.compile("-Drollout\\.replica-id=(rollout-service-\\d+)");
        Map<String, ProcessHandle> replicas = new TreeMap<>();
        demo.descendantsSeen().forEach((process, command) -> {
            Matcher id = replicaId.matcher(command);
            if (id.find() && process.isAlive()) {
                replicas.put(id.group(1), process);
            }
        });
        return replicas;
    }

    /**
     * Each rollout replica's served version from its {@code /q/metrics}, once every one serves
     * a version above 0 or {@link #ADOPTED} has passed.
     */
    private Map<String, Long> awaitAdoption(Map<String, ProcessHandle> replicas)
            throws InterruptedException {
        long deadline = System.nanoTime() + ADOPTED.toNanos();
        Map<String, Long> versions = new TreeMap<>();
        while (true) {
            for (var replica : replicas.entrySet()) {
                versions.put(replica.getKey(), servedVersion(replica.getValue()));
            }
            if (versions.values().stream().allMatch(v -> v > 0)
                    || System.nanoTime() > deadline) {
                return versions;
            }
            Thread.sleep(1000);
        }
    }

    /** The replica's {@code rollout_policy_version}; -1 when it does not answer. */
    private long servedVersion(ProcessHandle replica) throws InterruptedException {
        String command = replica.info().commandLine().orElse("");
        Matcher port = MANAGEMENT_PORT.matcher(command);
        if (!port.find()) {
            throw new IllegalStateException("no management port in " + command);
        }
        try {
            String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + port.group(1) + "/q/metrics")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher version = POLICY_VERSION.matcher(metrics);
            return version.find() ? Math.round(Double.parseDouble(version.group(1))) : -1;
        } catch (IOException notAnswering) {
            return -1;
        }
    }

    /**
     * The committed records of prompts, rollouts and prompts.dlq, read back from the run's
     * broker data (a broker started on it, as {@code ./pipeline kafka --data} does).
     */
    private static Map<String, List<Entry<?>>> readBack(Path kafkaData) {
        try (LocalKafka kafka = LocalKafka.start(kafkaData, LocalKafka.ANY_PORT, TOPICS)) {
            String servers = kafka.bootstrapServers();
            Map<String, List<Entry<?>>> topics = new HashMap<>();
            topics.put("prompts", all(servers, TOPICS.name(LogicalTopic.PROMPTS),
                    new ByteArrayDeserializer()));
            topics.put("prompts.dlq", all(servers, TOPICS.dlqName(LogicalTopic.PROMPTS),
                    new ByteArrayDeserializer()));
            topics.put("rollouts", all(servers, TOPICS.name(LogicalTopic.ROLLOUTS),
                    new RolloutGroupDeserializer()));
            return topics;
        }
    }

    private static <V> List<Entry<?>> all(String servers, String topic,
            Deserializer<V> values) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<Entry<?>> records = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(props,
                new StringDeserializer(), values)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(topic + " not read to its end " + ends);
                }
                for (ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(200))) {
                    records.add(new Entry<>(r.partition(), r.offset(), r.timestamp(), r.key(),
                            r.value()));
                }
            }
        }
        return records;
    }

    private static void deleteRecursively(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
