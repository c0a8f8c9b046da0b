package ai.collectiveagency.demo.fleetops;

import ai.collectiveagency.demo.dlq.KafkaOptions;
import ai.collectiveagency.demo.fleet.SingleReplica;
import ai.collectiveagency.schemas.kafka.KafkaClientSettings;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code fleet scale SERVICE N}: N replicas of a stage. It refuses the services that must stay
 * single ({@link SingleReplica}) and more replicas than the partitions of the stage's input
 * topic (the replicas of a consumer group share its partitions: one more would idle). Where a
 * KEDA ScaledObject scales the Deployment, setting the Deployment's replicas would be undone by
 * KEDA; it sets the ScaledObject's bounds instead ({@code minReplicaCount} N, and
 * {@code maxReplicaCount} at least N, at most the partitions) and says so.
 */
@Command(name = "scale", mixinStandardHelpOptions = true,
        description = "Sets a stage's replicas (or, where KEDA scales it, its ScaledObject's "
                + "bounds); refuses the single-replica services and more replicas than "
                + "partitions.")
final class ScaleCommand implements Callable<Integer> {

    @ParentCommand
    private FleetCommand parent;

    @Mixin
    private FleetOptions options;

    @Mixin
    private KafkaOptions kafka;

    @Parameters(index = "0", paramLabel = "SERVICE",
            description = "The service, e.g. rollout-service or reward-service.")
    private String service;

    @Parameters(index = "1", paramLabel = "N", description = "Replicas, 0 or more.")
    private int replicas;

    @Override
    public Integer call() throws Exception {
        return Reporting.run(() -> {
            if (replicas < 0) {
                throw new IllegalArgumentException("N must be 0 or more, got " + replicas);
            }
            SingleReplica.reason(service).ifPresent(reason -> {
                throw new IllegalArgumentException("refused: " + reason);
            });
            TopicCatalogue topics = options.topics();
            Optional<Integer> partitions = Stage.of(topics, service).map(this::partitionsOf);
            try (KubernetesClient client = parent.kubernetes(options.context())) {
                String namespace = options.namespace(client);
                try {
                    scale(client, namespace, partitions);
                } catch (KubernetesClientException e) {
                    throw FleetException.of(client, "scale " + service + " in namespace "
                            + namespace, e);
                }
            }
            return 0;
        });
    }

    /**
     * The partitions of the stage's input, which bound its replicas; refuses N above them.
     * Read from Kafka when it answers, else the catalogue's; the output says which.
     */
    private int partitionsOf(Stage stage) {
        String topic = stage.input().name();
        int partitions;
        String source;
        KafkaClientSettings settings = kafka.settings(parent.root());
        try (KafkaFacts facts = KafkaFacts.connect(settings, KafkaFacts.TIMEOUT)) {
            partitions = facts.partitions(topic);
            source = "on the cluster";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FleetException("interrupted while reading the partitions of " + topic);
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            partitions = stage.input().partitions();
            source = "in the topic catalogue (Kafka was not reachable: "
                    + KafkaFacts.reason(settings, e) + ")";
        }
        parent.out().println(topic + " has " + partitions + " partitions " + source);
        if (replicas > partitions) {
            throw new IllegalArgumentException("refused: " + service + " reads " + topic
                    + " in consumer group " + stage.group() + ", whose " + partitions
                    + " partitions its replicas share: more than " + partitions
                    + " replicas would idle (more needs more partitions in the topic catalogue)");
        }
        return partitions;
    }

    private void scale(KubernetesClient client, String namespace,
            Optional<Integer> partitions) {
        Deployment deployment = deploymentOf(client, namespace);
        String name = deployment.getMetadata().getName();
        ScaledObjects scaledObjects = new ScaledObjects(client, namespace);
        Optional<GenericKubernetesResource> owner = scaledObjects.targeting(name);
        if (owner.isEmpty()) {
            Integer before = deployment.getSpec().getReplicas();
            client.apps().deployments().inNamespace(namespace).withName(name).scale(replicas);
            parent.out().println("scaled deployment/" + name + " in namespace " + namespace
                    + " from " + (before == null ? 1 : before) + " to " + replicas
                    + " replicas");
            return;
        }
        AutoscalerState keda = ScaledObjects.stateOf(owner.get());
        int max = Math.max(replicas, keda.maxReplicas());
        if (partitions.isPresent()) {
            max = Math.min(max, partitions.get());
        }
        scaledObjects.setBounds(keda.name(), replicas, max);
        parent.out().println("KEDA scales deployment/" + name + " (ScaledObject " + keda.name()
                + "), and would undo a change of its replicas: set the ScaledObject's "
                + "minReplicaCount to " + replicas + " and maxReplicaCount to " + max
                + " (were " + keda.minReplicas() + " and " + keda.maxReplicas() + ")");
        keda.pausedReplicas().ifPresent(count -> parent.out().println("note: KEDA is paused at "
                + count + " replicas (annotation " + ScaledObjects.PAUSED_REPLICAS
                + "); the bounds apply once it is removed"));
        if (keda.paused()) {
            parent.out().println("note: KEDA is paused (annotation " + ScaledObjects.PAUSED
                    + "); the bounds apply once it is removed");
        }
    }

    /** The Deployment labelled as the service's, else the one named after it. */
    private Deployment deploymentOf(KubernetesClient client, String namespace) {
        List<Deployment> labelled = client.apps().deployments().inNamespace(namespace)
                .withLabel(FleetLabels.PART_OF, FleetLabels.PIPELINE)
                .withLabel(FleetLabels.NAME, service).list().getItems();
        if (labelled.size() == 1) {
            return labelled.get(0);
        }
        Deployment named = client.apps().deployments().inNamespace(namespace).withName(service)
                .get();
        if (named == null) {
            throw new FleetException("no Deployment of " + service + " in namespace "
                    + namespace + " (none labelled " + FleetLabels.NAME + "=" + service
                    + " and none of that name)");
        }
        return named;
    }
}
