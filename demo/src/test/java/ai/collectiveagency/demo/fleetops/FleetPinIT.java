package ai.collectiveagency.demo.fleetops;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.demo.fleet.Fleet;
import ai.collectiveagency.demo.fleet.RunKeys;
import ai.collectiveagency.demo.fleet.ServiceProcess;
import ai.collectiveagency.demo.fleet.ServiceSpec;
import ai.collectiveagency.kafka.LocalKafka;
import ai.collectiveagency.schemas.PolicyCheckpoint;
import ai.collectiveagency.schemas.kafka.PolicyCheckpointDeserializer;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.LongPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./pipeline fleet pin} and {@code unpin} on the real local fleet: broker, trainer,
 * reward-service (the offline embedding scorer), rollout-service and prompt-generator, each a
 * process from its packaged app, the rollout replica trusting the run's operator key. Once the
 * replica serves version 2 or later (its {@code /q/metrics}), {@code fleet pin v1} signed with
 * the run's operator key makes it serve 1 and report the pin; it keeps serving 1 while the
 * trainer announces newer checkpoints; {@code fleet unpin} makes it serve the newest announced
 * one. All processes stop when it ends, also when it fails.
 */
class FleetPinIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final TopicCatalogue TOPICS = TopicCatalogue.defaults();
    private static final Path MODEL = ROOT.resolve("models/qwen2-tiny-random");
    /** Kept after the test, for a look at what each service did. */
    private static final Path LOGS = Path.of("target/fleet-pin-it-logs");
    private static final long PINNED = 1;
    /** Hang guards, not timing assertions: a service's start-up on a loaded machine. */
    private static final Duration START = Duration.ofMinutes(2);
    private static final Duration ADOPTED = Duration.ofMinutes(2);
    /** How long the replica may take to act on a pin or an unpin it reads. */
    private static final Duration ACTS = Duration.ofSeconds(60);
    /** How long the trainer may take to announce a version past the one served at the pin. */
    private static final Duration NEWER = Duration.ofMinutes(2);
    /** Longer than the replica's checkpoint poll interval (500 ms here): it has read them. */
    private static final Duration HOLDS = Duration.ofSeconds(5);
    private static final Pattern VERSION = metric("rollout_policy_version");
    private static final Pattern PIN = metric("rollout_policy_pinned");

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final ByteArrayOutputStream commandOutput = new ByteArrayOutputStream();
    /** The highest version read from the checkpoints topic so far. */
    private long highestAnnounced = -1;

    @TempDir
    Path run;

    @Test
    void thePinnedVersionIsServedUntilUnpinnedThenTheNewest() throws Exception {
        try (Fleet fleet = Fleet.on(LocalKafka.startTemporary(), LOGS)) {
            String kafka = fleet.bootstrapServers();
            RunKeys keys = RunKeys.of(run);
            Path store = run.resolve("checkpoints");
            Map<String, String> trainer = new HashMap<>(keys.trainerSettings());
            trainer.putAll(Map.ofEntries(
                    Map.entry("trainer.model", MODEL.toString()),
                    Map.entry("trainer.store", store.toString()),
                    Map.entry("trainer.groups-per-step", "1"),
                    Map.entry("trainer.checkpoint-every", "1"),
                    Map.entry("trainer.lora.rank", "4"),
                    Map.entry("trainer.lora.alpha", "8"),
                    Map.entry("trainer.max-staleness", "64"),
                    // The store keeps the version the operator pins: it would otherwise be
                    // deleted once newer ones pass trainer.checkpoints.keep.
                    Map.entry("trainer.checkpoints.pinned", Long.toString(PINNED)),
                    Map.entry("kafka.bootstrap.servers", kafka)));
            fleet.start(service("trainer-service", trainer), START);
            fleet.start(service("reward-service", Map.of(
                    "reward.scorers.embedding", "1",
                    "kafka.bootstrap.servers", kafka)), START);
            Map<String, String> rollout = new HashMap<>(keys.rolloutSettings(store));
            rollout.putAll(Map.ofEntries(
                    Map.entry("rollout.model", MODEL.toString()),
                    Map.entry("rollout.api.auth", "none"), // the fleet binds loopback
                    Map.entry("rollout.prompts",
                            ROOT.resolve("selfplay/src/test/resources/compact-prompts")
                                    .toString()),
                    Map.entry("rollout.group-size", "2"),
                    Map.entry("rollout.answer.temperature", "1.0"),
                    Map.entry("rollout.answer.max-tokens", "8"),
                    Map.entry("rollout.batch.max-tasks", "2"),
                    Map.entry("rollout.checkpoints.poll-interval", "500ms"),
                    Map.entry("kafka.bootstrap.servers", kafka)));
            ServiceProcess replica = fleet.start(service("rollout-service", rollout), START);
            fleet.start(service("prompt-generator", Map.of(
                    "prompts.rate", "4",
                    "prompts.negotiation-share", "0",
                    "prompts.held-out-share", "0",
                    "prompts.seeds", shortScenarios(run.resolve("seeds")).toString(),
                    "prompts.replace-seeds", "true",
                    "prompts.pacing.max-lag", "8",
                    "prompts.audit.enabled", "false",
                    "kafka.bootstrap.servers", kafka)), START);

            try (KafkaConsumer<String, PolicyCheckpoint> checkpoints = checkpoints(kafka)) {
                long beforePin = await(replica, VERSION, v -> v >= 2, ADOPTED);
                assertThat(beforePin).as("version served before the pin; log:%n%s",
                        replica.tail()).isGreaterThanOrEqualTo(2);

                assertThat(fleet(kafka, keys, "pin", "v" + PINNED, "--reason",
                        "rolled back by FleetPinIT"))
                        .as("pin's exit code; output: %s", commandOutput).isZero();
                assertThat(await(replica, VERSION, v -> v == PINNED, ACTS))
                        .as("version served after the pin; log:%n%s", replica.tail())
                        .isEqualTo(PINNED);
                assertThat(read(replica, PIN)).as("rollout_policy_pinned").isEqualTo(PINNED);

                long newer = awaitAnnounced(checkpoints, beforePin);
                assertThat(newer).as("trainer's newest announced version").isGreaterThan(
                        beforePin);
                long holdUntil = System.nanoTime() + HOLDS.toNanos();
                while (System.nanoTime() < holdUntil) {
                    assertThat(read(replica, VERSION)).as("version served while pinned, with "
                            + "version %d announced; log:%n%s", newer, replica.tail())
                            .isEqualTo(PINNED);
                    Thread.sleep(500);
                }

                assertThat(fleet(kafka, keys, "unpin"))
                        .as("unpin's exit code; output: %s", commandOutput).isZero();
                long highest = awaitAnnounced(checkpoints, newer - 1);
                long afterUnpin = await(replica, VERSION, v -> v >= highest, ACTS);
                assertThat(afterUnpin).as("version served after the unpin (highest announced "
                        + "%d); log:%n%s", highest, replica.tail())
                        .isGreaterThanOrEqualTo(highest);
                assertThat(read(replica, PIN)).as("rollout_policy_pinned after the unpin")
                        .isEqualTo(-1);
                System.out.printf("fleet pin: served %d before, pinned to %d and held it with "
                        + "version %d announced, %d announced at the unpin, served %d after it%n",
                        beforePin, PINNED, newer, highest, afterUnpin);
            }
            assertThat(fleet.services()).allMatch(ServiceProcess::alive);
        }
    }

    /**
     * Runs {@code ./pipeline fleet ARGS} as the script does, on the run's broker, signed with
     * the run's operator key; its exit code.
     */
    private int fleet(String kafka, RunKeys keys, String... args) {
        CommandLine cli = new CommandLine(new FleetCommand(ROOT,
                new PrintStream(commandOutput, true, StandardCharsets.UTF_8), context -> {
                    throw new AssertionError("pinning opened a Kubernetes client");
                }));
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap-server", kafka, "--signing-key",
                keys.operator().privateKey().toString()));
        return cli.execute(all.toArray(String[]::new));
    }

    /**
     * The metric's value once it satisfies {@code wanted}, or the last one read (-1 when the
     * replica never answered) when {@code timeout} passes first.
     */
    private long await(ServiceProcess replica, Pattern metric, LongPredicate wanted,
            Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long value = read(replica, metric);
        while (!wanted.test(value) && System.nanoTime() < deadline) {
            Thread.sleep(500);
            value = read(replica, metric);
        }
        return value;
    }

    /** The replica's gauge from its {@code /q/metrics}; -1 when it does not answer. */
    private long read(ServiceProcess replica, Pattern metric) throws InterruptedException {
        try {
            String text = http.send(HttpRequest.newBuilder(replica.management()
                    .resolve("metrics")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher value = metric.matcher(text);
            return value.find() ? Math.round(Double.parseDouble(value.group(1))) : -1;
        } catch (IOException notAnswering) {
            return -1;
        }
    }

    /**
     * The highest version announced so far, once it is above {@code above} or {@link #NEWER}
     * passes.
     */
    private long awaitAnnounced(KafkaConsumer<String, PolicyCheckpoint> consumer, long above) {
        long deadline = System.nanoTime() + NEWER.toNanos();
        do {
            for (var record : consumer.poll(Duration.ofMillis(500))) {
                highestAnnounced = Math.max(highestAnnounced, record.value().getVersion());
            }
        } while (highestAnnounced <= above && System.nanoTime() < deadline);
        return highestAnnounced;
    }

    /** The checkpoints topic, every partition from its beginning. */
    private static KafkaConsumer<String, PolicyCheckpoint> checkpoints(String kafka) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        KafkaConsumer<String, PolicyCheckpoint> consumer = new KafkaConsumer<>(props,
                new StringDeserializer(), new PolicyCheckpointDeserializer());
        String topic = TOPICS.name(LogicalTopic.CHECKPOINTS);
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    private static ServiceSpec service(String module, Map<String, String> settings) {
        Map<String, String> oneThread = new HashMap<>(settings);
        oneThread.put("ai.djl.pytorch.num_threads", "1");
        return ServiceSpec.packaged(ROOT, module, Fleet.freePort(), "1g", oneThread)
                .withEnvironment("OMP_NUM_THREADS", "1");
    }

    /** Scenario templates short enough for the test model's 256 positions. */
    private static Path shortScenarios(Path folder) throws IOException {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("scenario-templates.txt"), String.join("\n",
                "A {roleA} wants {valueA}; a {roleB} wants {valueB}.",
                "{roleA} ({valueA}) or {roleB} ({valueB})?") + "\n");
        return folder;
    }

    private static Pattern metric(String name) {
        return Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? ([0-9.Ee+-]+)$");
    }
}
