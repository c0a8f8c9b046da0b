package ai.collectiveagency.demo;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.demo.fleet.Fleet;
import ai.collectiveagency.demo.fleet.RunKeys;
import ai.collectiveagency.demo.fleet.ServiceProcess;
import ai.collectiveagency.demo.fleet.ServiceSpec;
import ai.collectiveagency.kafka.LocalKafka;
import ai.collectiveagency.schemas.Persona;
import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.schemas.Provenance;
import ai.collectiveagency.schemas.ProvenanceSource;
import ai.collectiveagency.schemas.RolloutGroup;
import ai.collectiveagency.schemas.Scenario;
import ai.collectiveagency.schemas.ScoredGroup;
import ai.collectiveagency.schemas.Segment;
import ai.collectiveagency.schemas.TaskMode;
import ai.collectiveagency.schemas.Trajectory;
import ai.collectiveagency.schemas.Turn;
import ai.collectiveagency.schemas.kafka.RolloutGroupSerializer;
import ai.collectiveagency.schemas.kafka.ScoredGroupDeserializer;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Self-rewarding end to end: the reward-service's judge is the rollout-service's
 * OpenAI-compatible API serving {@code qwen2-tiny-random}, both packaged services running as
 * processes on the real broker. The tiny model's context (256 positions) cannot hold the judge's
 * rubric, so the API refuses each request with an OpenAI-style {@code context_length_exceeded};
 * the reward-service does not retry a refusal, flags every trajectory unscorable with that
 * reason, and sends the group on: the whole path works and nothing is silently scored 0.
 */
class SelfRewardingTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final TopicCatalogue TOPICS = TopicCatalogue.defaults();

    @TempDir
    Path work;

    @Test
    void thePolicyJudgesThroughTheRolloutApiAndItsRefusalsAreFlaggedWithTheReason()
            throws Exception {
        try (Fleet fleet = Fleet.on(LocalKafka.startTemporary(),
                Path.of("target/self-rewarding-logs"))) {
            String kafka = fleet.bootstrapServers();
            int apiPort = Fleet.freePort();
            Map<String, String> settings = new HashMap<>(RunKeys.of(work)
                    .rolloutSettings(work.resolve("checkpoints")));
            settings.putAll(Map.of("rollout.model",
                    ROOT.resolve("models/qwen2-tiny-random").toString(),
                    "rollout.api.auth", "none", // the fleet binds loopback
                    "kafka.bootstrap.servers", kafka));
            ServiceProcess rollout = fleet.start(ServiceSpec.packaged(ROOT, "rollout-service",
                    apiPort, "1g", settings), Duration.ofMinutes(2));
            ServiceProcess reward = fleet.start(ServiceSpec.packaged(ROOT, "reward-service",
                    Fleet.freePort(), "512m",
                    Map.of("reward.scorers.self", "1",
                            "reward.self.base-url", "http://127.0.0.1:" + apiPort + "/v1",
                            "reward.self.model", "qwen2-tiny-random",
                            "reward.self.max-tokens", "32",
                            "kafka.bootstrap.servers", kafka)),
                    Duration.ofMinutes(2));
            send(kafka, group("self-1"));

            ScoredGroup scored = readOne(kafka);

            assertThat(reward.alive()).isTrue();
            assertThat(scored.getScorerId()).isEqualTo("judge:ca@qwen2-tiny-random");
            assertThat(scored.getScores()).hasSize(2).allSatisfy(score -> {
                assertThat(score.getUnscorable()).isTrue();
                assertThat(score.getReward()).isNull();
                assertThat(score.getUnscorableReason()).startsWith("rejected")
                        .contains("context_length_exceeded");
            });
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    rollout.management().resolve("metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).containsPattern(
                    "(?m)^rollout_api_requests_total\\{[^}]*status=\"400\"[^}]*} [1-9]");
        }
    }

    private static RolloutGroup group(String taskId) {
        PromptTask task = PromptTask.newBuilder().setTaskId(taskId)
                .setCreatedAt(Instant.parse("2026-11-26T00:00:00Z")).setMode(TaskMode.SINGLE)
                .setScenario(new Scenario("River", "Both farms need the river.", "water",
                        "growth vs. care"))
                .setPersonaA(new Persona("Ana", "farmer", List.of("growth"), List.of("irrigate"),
                        List.of("no theft")))
                .setPersonaB(new Persona("Ben", "miller", List.of("care"), List.of("mill"),
                        List.of("no violence")))
                .setSeed(1).setProvenance(new Provenance(ProvenanceSource.FILE, "test", null))
                .setHeldOut(false).build();
        List<Trajectory> trajectories = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Turn answer = Turn.newBuilder().setSegment(Segment.ANSWER).setText("Share it.")
                    .setPromptTokenIds(List.of(10, 11)).setCompletionTokenIds(List.of(12))
                    .setCompletionLogprobs(List.of(-1f)).setTemperature(0.7f).setTopP(0.95f)
                    .setFinishReason("stop").build();
            trajectories.add(Trajectory.newBuilder().setTrajectoryId(taskId + "-g-" + i)
                    .setPolicyVersion(0).setTurns(List.of(answer)).setAgreementReached(false)
                    .setRounds(0).setFailed(false).setResolution("Share the water by season.")
                    .build());
        }
        return RolloutGroup.newBuilder().setTask(task).setGroupId(taskId + "-g")
                .setCreatedAt(Instant.now()).setModel("qwen2-tiny-random")
                .setTrajectories(trajectories).build();
    }

    private static void send(String kafka, RolloutGroup group) {
        try (KafkaProducer<String, RolloutGroup> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", kafka), new StringSerializer(),
                new RolloutGroupSerializer())) {
            producer.send(new ProducerRecord<>(TOPICS.name(LogicalTopic.ROLLOUTS),
                    group.getTask().getTaskId(), group));
        }
    }

    private static ScoredGroup readOne(String kafka) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "self-test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, ScoredGroup> consumer = new KafkaConsumer<>(props,
                new StringDeserializer(), new ScoredGroupDeserializer())) {
            consumer.subscribe(List.of(TOPICS.name(LogicalTopic.SCORED)));
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(300))) {
                    return record.value();
                }
            }
        }
        throw new AssertionError("no scored group within 90 s");
    }
}
