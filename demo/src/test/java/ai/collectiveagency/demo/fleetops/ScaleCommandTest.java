package ai.collectiveagency.demo.fleetops;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.demo.cli.CommandMain;
import ai.collectiveagency.demo.fleet.SingleReplica;
import ai.collectiveagency.kafka.LocalKafka;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fleet scale} on fabric8's mock API server (CRUD mode) and a real local broker whose
 * topics have 2 partitions (the catalogue's default is 3: what the command reads from the
 * cluster shows): what it refuses, and that it changes the ScaledObject where KEDA scales the
 * Deployment and the Deployment otherwise.
 */
class ScaleCommandTest {

    private static final AtomicInteger RUNS = new AtomicInteger();
    private static final int PARTITIONS_ON_CLUSTER = 2;
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
        topics = new TopicCatalogue("scale-" + RUNS.incrementAndGet() + ".",
                PARTITIONS_ON_CLUSTER, TopicCatalogue.DEFAULT_REPLICATION_FACTOR);
        try (Admin admin = kafka.createAdmin()) {
            topics.ensureTopics(admin);
        }
        cluster = new MockCluster();
        cluster.deployment("rollout-service", 1, 1, 1);
        cluster.deployment("reward-service", 1, 1, 1);
        cluster.deployment("trainer-service", 1, 1, 1);
        cluster.deployment("prompt-generator", 1, 1, 1);
        cluster.scaledObject("rollout-service", 1, 3, Map.of());
    }

    @AfterEach
    void stopCluster() {
        cluster.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"trainer-service", "prompt-generator"})
    void refusesTheSingleReplicaServicesSayingWhy(String service) {
        FleetRun run = scale(service, "2");

        assertThat(run.exitCode()).isEqualTo(CommandMain.USAGE_ERROR);
        assertThat(run.err()).startsWith("error: refused: " + service)
                .contains(SingleReplica.reason(service).orElseThrow());
        assertThat(cluster.deploymentNamed(service).getSpec().getReplicas()).isEqualTo(1);
    }

    @Test
    void refusesMoreReplicasThanTheInputTopicHasPartitionsOnTheCluster() {
        FleetRun run = scale("reward-service", "3");

        assertThat(run.exitCode()).isEqualTo(CommandMain.USAGE_ERROR);
        assertThat(run.out()).contains(topics.name(LogicalTopic.ROLLOUTS) + " has 2 partitions "
                + "on the cluster");
        assertThat(run.err()).contains("refused: reward-service reads "
                + topics.name(LogicalTopic.ROLLOUTS) + " in consumer group reward-service",
                "more than 2 replicas would idle");
        assertThat(cluster.deploymentNamed("reward-service").getSpec().getReplicas())
                .isEqualTo(1);
    }

    @Test
    void refusesANegativeCount() {
        FleetRun run = scale("reward-service", "-1");

        assertThat(run.exitCode()).isEqualTo(CommandMain.USAGE_ERROR);
        assertThat(run.err()).contains("N must be 0 or more, got -1");
    }

    @Test
    void scalesTheDeploymentWhenNoScaledObjectTargetsIt() {
        FleetRun run = scale("reward-service", "2");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(cluster.deploymentNamed("reward-service").getSpec().getReplicas())
                .isEqualTo(2);
        assertThat(run.out()).contains("scaled deployment/reward-service in namespace "
                + MockCluster.NAMESPACE + " from 1 to 2 replicas");
    }

    @Test
    void setsTheScaledObjectsBoundsWhereKedaOwnsTheDeploymentAndLeavesTheDeployment() {
        FleetRun run = scale("rollout-service", "2");

        assertThat(run.exitCode()).as(run.err()).isZero();
        GenericKubernetesResource keda = cluster.scaledObjectNamed("rollout-service");
        // max(N, 3) bounded by the 2 partitions on the cluster.
        assertThat(List.of(ScaledObjects.bound(keda, "minReplicaCount", -1),
                ScaledObjects.bound(keda, "maxReplicaCount", -1))).containsExactly(2, 2);
        assertThat((String) keda.get("spec", "triggers", 0, "type")).isEqualTo("kafka");
        assertThat(cluster.deploymentNamed("rollout-service").getSpec().getReplicas())
                .isEqualTo(1);
        assertThat(run.out()).contains("KEDA scales deployment/rollout-service",
                "minReplicaCount to 2 and maxReplicaCount to 2 (were 1 and 3)");
    }

    @Test
    void withoutKafkaTheCataloguesPartitionsBoundItAndItSaysSo() {
        FleetRun run = FleetRun.of(root, cluster::newClient, "scale", "reward-service", "3",
                "--namespace", MockCluster.NAMESPACE, "--prefix", topics.prefix(),
                "--bootstrap-server", "127.0.0.1:1");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains(topics.name(LogicalTopic.ROLLOUTS) + " has "
                + TopicCatalogue.DEFAULT_PARTITIONS + " partitions in the topic catalogue "
                + "(Kafka was not reachable: no broker at 127.0.0.1:1 answered within 10 s)");
        assertThat(cluster.deploymentNamed("reward-service").getSpec().getReplicas())
                .isEqualTo(3);
    }

    private FleetRun scale(String service, String replicas) {
        return FleetRun.of(root, cluster::newClient, "scale", service, replicas, "--namespace",
                MockCluster.NAMESPACE, "--prefix", topics.prefix(), "--bootstrap-server",
                kafka.bootstrapServers());
    }
}
