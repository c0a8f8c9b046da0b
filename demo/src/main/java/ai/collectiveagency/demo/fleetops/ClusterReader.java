package ai.collectiveagency.demo.fleetops;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads the pipeline's services from the Kubernetes API: the Deployments and pods labelled
 * {@code app.kubernetes.io/part-of=collective-agency}, grouped by {@code app.kubernetes.io/name},
 * and the ScaledObjects that target those Deployments.
 */
final class ClusterReader {

    private final KubernetesClient client;
    private final String namespace;

    ClusterReader(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /**
     * Every service, by name.
     *
     * @throws FleetException when the API cannot be reached or refuses
     */
    List<ServiceWorkload> services() {
        try {
            Map<String, Deployment> deployments = new TreeMap<>();
            client.apps().deployments().inNamespace(namespace)
                    .withLabel(FleetLabels.PART_OF, FleetLabels.PIPELINE).list().getItems()
                    .forEach(d -> deployments.put(serviceOf(d.getMetadata().getLabels(),
                            d.getMetadata().getName()), d));
            Map<String, List<PodState>> pods = new TreeMap<>();
            client.pods().inNamespace(namespace)
                    .withLabel(FleetLabels.PART_OF, FleetLabels.PIPELINE).list().getItems()
                    .stream().sorted(Comparator.comparing(p -> p.getMetadata().getName()))
                    .forEach(p -> pods.computeIfAbsent(serviceOf(p.getMetadata().getLabels(),
                            p.getMetadata().getName()), s -> new ArrayList<>()).add(stateOf(p)));
            List<GenericKubernetesResource> scaledObjects =
                    new ScaledObjects(client, namespace).list();
            TreeSet<String> services = new TreeSet<>(deployments.keySet());
            services.addAll(pods.keySet());
            return services.stream().map(service -> workload(service,
                    Optional.ofNullable(deployments.get(service)),
                    pods.getOrDefault(service, List.of()), scaledObjects)).toList();
        } catch (KubernetesClientException e) {
            throw FleetException.of(client, "list the pipeline's objects in namespace "
                    + namespace, e);
        }
    }

    private static ServiceWorkload workload(String service, Optional<Deployment> deployment,
            List<PodState> pods, List<GenericKubernetesResource> scaledObjects) {
        Optional<AutoscalerState> autoscaler = deployment.flatMap(d -> scaledObjects.stream()
                .filter(o -> ScaledObjects.targets(o, d.getMetadata().getName())).findFirst()
                .map(ScaledObjects::stateOf));
        DeploymentStatus status = deployment.map(Deployment::getStatus).orElse(null);
        return new ServiceWorkload(service,
                deployment.map(d -> d.getSpec().getReplicas())
                        // The API server's default for a Deployment without replicas.
                        .map(replicas -> replicas == null ? 1 : replicas).orElse(0),
                status == null ? 0 : orZero(status.getReadyReplicas()),
                status == null ? 0 : orZero(status.getAvailableReplicas()),
                pods.stream().mapToInt(PodState::restarts).sum(), pods, autoscaler);
    }

    private static PodState stateOf(Pod pod) {
        List<ContainerStatus> containers = pod.getStatus() == null ? List.of()
                : Objects.requireNonNullElse(pod.getStatus().getContainerStatuses(), List.of());
        List<PodCondition> conditions = pod.getStatus() == null ? List.of()
                : Objects.requireNonNullElse(pod.getStatus().getConditions(), List.of());
        String phase = pod.getStatus() == null || pod.getStatus().getPhase() == null ? "Unknown"
                : pod.getStatus().getPhase();
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        return new PodState(pod.getMetadata().getName(), phase,
                conditions.stream().anyMatch(c -> "Ready".equals(c.getType())
                        && "True".equals(c.getStatus())),
                containers.stream().mapToInt(c -> orZero(c.getRestartCount())).sum(),
                versionOf(annotations == null ? null
                        : annotations.get(FleetLabels.POLICY_VERSION)));
    }

    /** The annotation's decimal version; a missing or malformed one is no version. */
    static OptionalLong versionOf(String annotation) {
        if (annotation == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(annotation.strip()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The service label, else the object's own name. */
    private static String serviceOf(Map<String, String> labels, String name) {
        String service = labels == null ? null : labels.get(FleetLabels.NAME);
        return service == null ? name : service;
    }

    private static int orZero(Integer count) {
        return count == null ? 0 : count;
    }
}
