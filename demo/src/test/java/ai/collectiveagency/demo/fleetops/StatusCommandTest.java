package ai.collectiveagency.demo.fleetops;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.demo.PipelineEvents;
import ai.collectiveagency.kafka.LocalKafka;
import ai.collectiveagency.schemas.PolicyCheckpoint;
import ai.collectiveagency.schemas.kafka.KafkaClientSettings;
import ai.collectiveagency.schemas.kafka.PolicyCheckpointSerializer;
import ai.collectiveagency.schemas.signing.FleetPinSigner;
import ai.collectiveagency.schemas.signing.KeyPairFiles;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fleet status} on fabric8's mock API server (CRUD mode) holding the pipeline's objects
 * as k8s/ labels them, and a real local broker with checkpoint announcements and consumer
 * groups' offsets: the numbers a user reads, and what it says when Kafka or Kubernetes is
 * missing.
 */
class StatusCommandTest {

    private static final AtomicInteger RUNS = new AtomicInteger();
    private static LocalKafka kafka;

    @TempDir
    Path root;

    private MockCluster cluster;
    private TopicCatalogue topics;

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
    void fleet() throws Exception {
        topics = TopicCatalogue.withPrefix("status-" + RUNS.incrementAndGet() + ".");
        try (Admin admin = kafka.createAdmin()) {
            topics.ensureTopics(admin);
        }
        cluster = new MockCluster();
        cluster.deployment("rollout-service", 2, 2, 1);
        cluster.deployment("reward-service", 1, 1, 1);
        cluster.deployment("trainer-service", 1, 0, 0);
        cluster.pod("rollout-service-7d9f-a", "rollout-service", "5", 1, 2);
        cluster.pod("rollout-service-7d9f-b", "rollout-service", "7", 0);
        cluster.pod("reward-service-5c4b-a", "reward-service", null, 4);
        cluster.scaledObject("rollout-service", 1, 3,
                Map.of(ScaledObjects.PAUSED_REPLICAS, "2"));
    }

    @AfterEach
    void stopCluster() {
        cluster.close();
    }

    @Test
    void jsonShowsReplicasRestartsLagAutoscalerAndHowFarEachPodIsBehind() throws Exception {
        announce(6, 7);
        write(topics.name(LogicalTopic.PROMPTS), 5);
        write(topics.name(LogicalTopic.ROLLOUTS), 4);
        commit("reward-service", topics.name(LogicalTopic.ROLLOUTS), 1);

        FleetRun run = status("--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode status = new ObjectMapper().readTree(run.out());
        assertThat(status.get("namespace").asText()).isEqualTo(MockCluster.NAMESPACE);
        assertThat(status.get("kafka").get("reachable").asBoolean()).isTrue();
        assertThat(status.get("kafka").get("newest_checkpoint").asLong()).isEqualTo(7);
        assertThat(status.get("kafka").get("pinned_version").isNull()).as("not pinned").isTrue();
        JsonNode rollout = service(status, "rollout-service");
        assertThat(List.of(rollout.get("desired").asInt(), rollout.get("ready").asInt(),
                rollout.get("available").asInt(), rollout.get("restarts").asInt()))
                .containsExactly(2, 2, 1, 3);
        // The group never committed: it reads from the earliest offset, all five are lag.
        assertThat(rollout.get("lag").asLong()).isEqualTo(5);
        assertThat(rollout.get("pods")).extracting(p -> p.get("name").asText(),
                p -> p.get("policy_version").asLong(), p -> p.get("behind_by").asLong())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("rollout-service-7d9f-a", 5L, 2L),
                        org.assertj.core.groups.Tuple.tuple("rollout-service-7d9f-b", 7L, 0L));
        JsonNode keda = rollout.get("autoscaler");
        assertThat(keda.get("min_replicas").asInt()).isEqualTo(1);
        assertThat(keda.get("max_replicas").asInt()).isEqualTo(3);
        assertThat(keda.get("ready").asText()).isEqualTo("True");
        assertThat(keda.get("active").asText()).isEqualTo("False");
        assertThat(keda.get("paused_replicas").asText()).isEqualTo("2");
        JsonNode reward = service(status, "reward-service");
        assertThat(reward.get("lag").asLong()).isEqualTo(3);
        assertThat(reward.get("restarts").asInt()).isEqualTo(4);
        assertThat(reward.get("autoscaler").isNull()).isTrue();
        assertThat(reward.get("pods").get(0).get("policy_version").isNull()).isTrue();
        // Its newest checkpoint consumed 2 of the 3 scored records written below it.
        assertThat(service(status, "trainer-service").get("lag").asLong()).isEqualTo(1);
    }

    @Test
    void tableSaysWhichPodIsBehindAndByHowMuch() throws Exception {
        announce(6, 7, 9);

        FleetRun run = status();

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("rollout-service-7d9f-a", "serves v5 (behind by 4)",
                "serves v7 (behind by 2)", "KEDA rollout-service: 1..3 replicas, ready True, "
                        + "active False, paused at 2", "newest announced checkpoint: v9");
        assertThat(run.out().lines().filter(l -> l.startsWith("rollout-service ")).findFirst()
                .orElseThrow()).matches("rollout-service\\s+2\\s+2\\s+1\\s+3\\s+0");
    }

    @Test
    void showsThePinOnTheFleetControlTopic(@TempDir Path keys) throws Exception {
        announce(6, 7);
        KeyPairFiles operator = KeyPairFiles.in(keys, "operator").generate();
        new FleetPinWriter(KafkaClientSettings.of(Map.of("bootstrap.servers",
                kafka.bootstrapServers())), topics, FleetPinSigner.fromPem(operator.privateKey()),
                Clock.systemUTC()).pin(6, "v7 repeats itself");

        FleetRun run = status();

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("pinned: the fleet serves v6 until ./pipeline fleet unpin");
    }

    @Test
    void withoutKafkaItShowsKubernetesAndSaysWhyKafkaIsMissing() {
        FleetRun run = FleetRun.of(root, cluster::newClient, "status", "--namespace",
                MockCluster.NAMESPACE, "--bootstrap-server", "127.0.0.1:1");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("rollout-service", "serves v5", "KEDA rollout-service")
                .contains("Kafka was not reachable (no broker at 127.0.0.1:1 answered within "
                        + "10 s)")
                .doesNotContain("behind by");
    }

    @Test
    void withoutKubernetesItFailsSayingWhere() {
        Config nowhere = new ConfigBuilder().withMasterUrl("http://127.0.0.1:1")
                .withRequestRetryBackoffLimit(0).build();

        FleetRun run = FleetRun.of(root,
                () -> new KubernetesClientBuilder().withConfig(nowhere).build(), "status",
                "--namespace", "alignment", "--bootstrap-server", kafka.bootstrapServers());

        assertThat(run.exitCode()).isEqualTo(FleetCommand.FAILED);
        assertThat(run.err()).startsWith("error: cannot list the pipeline's objects in "
                + "namespace alignment through the Kubernetes API at http://127.0.0.1:1")
                .contains("could not be reached");
        assertThat(run.out()).isEmpty();
    }

    private FleetRun status(String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("status", "--namespace",
                MockCluster.NAMESPACE, "--prefix", topics.prefix(), "--bootstrap-server",
                kafka.bootstrapServers()));
        args.addAll(List.of(more));
        return FleetRun.of(root, cluster::newClient, args.toArray(String[]::new));
    }

    private static JsonNode service(JsonNode status, String name) {
        for (JsonNode service : status.get("services")) {
            if (service.get("name").asText().equals(name)) {
                return service;
            }
        }
        throw new AssertionError("no service " + name + " in " + status);
    }

    /** Announces each version as the trainer does, the last having consumed 2 scored records. */
    private void announce(long... versions) throws Exception {
        String scored = topics.name(LogicalTopic.SCORED);
        write(scored, 3);
        try (KafkaProducer<String, PolicyCheckpoint> producer = new KafkaProducer<>(
                KafkaClientSettings.plaintext(kafka.bootstrapServers()).producer("test-trainer"), new StringSerializer(),
                new PolicyCheckpointSerializer())) {
            for (long version : versions) {
                PolicyCheckpoint manifest = PolicyCheckpoint.newBuilder(
                        PipelineEvents.checkpoint(version, version * 10, 0))
                        .setConsumedOffsets(Map.of(scored + "-0", 2L)).build();
                producer.send(new ProducerRecord<>(topics.name(LogicalTopic.CHECKPOINTS),
                        "v" + version, manifest)).get();
            }
        }
    }

    /** {@code count} records on partition 0 of {@code topic}. */
    private void write(String topic, int count) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                KafkaClientSettings.plaintext(kafka.bootstrapServers()).producer("test-writer"), new StringSerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "task-" + i, new byte[] {1}))
                        .get();
            }
        }
    }

    private void commit(String group, String topic, long offset) throws Exception {
        try (Admin admin = kafka.createAdmin()) {
            admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition(topic, 0),
                    new OffsetAndMetadata(offset))).all().get();
        }
    }
}
