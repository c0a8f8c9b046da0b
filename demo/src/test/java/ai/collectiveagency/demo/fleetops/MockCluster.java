package ai.collectiveagency.demo.fleetops;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * fabric8's mock Kubernetes API server in CRUD mode (it stores what is created and answers
 * lists, gets, patches and scales from it), with the pipeline's objects as k8s/ labels them.
 */
final class MockCluster implements AutoCloseable {

    static final String NAMESPACE = "alignment";

    private final KubernetesMockServer server = new KubernetesMockServer(new Context(),
            new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
    private final KubernetesClient client;

    MockCluster() {
        server.init();
        client = server.createClient();
    }

    /** A new client on the server: each command closes the one it is given. */
    KubernetesClient newClient() {
        return server.createClient();
    }

    KubernetesClient client() {
        return client;
    }

    Deployment deployment(String service, Integer replicas, int ready, int available) {
        Deployment deployment = new DeploymentBuilder()
                .withNewMetadata().withName(service).withNamespace(NAMESPACE)
                .withLabels(labels(service)).endMetadata()
                .withNewSpec().withReplicas(replicas)
                .withNewSelector().withMatchLabels(Map.of(FleetLabels.NAME, service))
                .endSelector().endSpec()
                .withNewStatus().withReplicas(replicas).withReadyReplicas(ready)
                .withAvailableReplicas(available).endStatus().build();
        Deployment created = client.apps().deployments().resource(deployment).create();
        // The API keeps status apart from spec: written as a controller writes it.
        created.setStatus(deployment.getStatus());
        return client.apps().deployments().resource(created).updateStatus();
    }

    /**
     * A ready, running pod of {@code service}.
     *
     * @param policyVersion its policy-version annotation; null for none
     * @param restarts each container's restart count
     */
    Pod pod(String name, String service, String policyVersion, int... restarts) {
        Map<String, String> annotations = policyVersion == null ? Map.of()
                : Map.of(FleetLabels.POLICY_VERSION, policyVersion);
        Pod pod = new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(NAMESPACE)
                .withLabels(labels(service)).withAnnotations(annotations).endMetadata()
                .withNewSpec().addNewContainer().withName(service).withImage(service)
                .endContainer().endSpec()
                .withNewStatus().withPhase("Running")
                .withConditions(new PodConditionBuilder().withType("Ready").withStatus("True")
                        .build())
                .withContainerStatuses(Arrays.stream(restarts).mapToObj(count ->
                        new ContainerStatusBuilder().withName(service).withRestartCount(count)
                                .withReady(true).build()).toList())
                .endStatus().build();
        Pod created = client.pods().resource(pod).create();
        created.setStatus(pod.getStatus());
        return client.pods().resource(created).updateStatus();
    }

    /** A ScaledObject on Deployment {@code deployment}, as KEDA reports it once it runs. */
    GenericKubernetesResource scaledObject(String deployment, int min, int max,
            Map<String, String> annotations) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("scaleTargetRef", Map.of("apiVersion", "apps/v1", "kind", "Deployment",
                "name", deployment));
        spec.put("minReplicaCount", min);
        spec.put("maxReplicaCount", max);
        spec.put("triggers", List.of(Map.of("type", "kafka",
                "metadata", Map.of("consumerGroup", deployment, "lagThreshold", "16"))));
        GenericKubernetesResource scaledObject = new GenericKubernetesResourceBuilder()
                .withApiVersion("keda.sh/v1alpha1").withKind("ScaledObject")
                .withNewMetadata().withName(deployment).withNamespace(NAMESPACE)
                .withLabels(Map.of(FleetLabels.NAME, deployment))
                .withAnnotations(annotations).endMetadata()
                .withAdditionalProperties(Map.of("spec", spec, "status", Map.of("conditions",
                        List.of(Map.of("type", "Ready", "status", "True"),
                                Map.of("type", "Active", "status", "False")))))
                .build();
        return scaledObjects().resource(scaledObject).create();
    }

    GenericKubernetesResource scaledObjectNamed(String name) {
        return scaledObjects().withName(name).get();
    }

    Deployment deploymentNamed(String name) {
        return client.apps().deployments().inNamespace(NAMESPACE).withName(name).get();
    }

    private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<GenericKubernetesResource,
            io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
            io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>> scaledObjects() {
        return client.genericKubernetesResources(ScaledObjects.SCALED_OBJECT)
                .inNamespace(NAMESPACE);
    }

    private static Map<String, String> labels(String service) {
        return Map.of(FleetLabels.NAME, service, FleetLabels.PART_OF, FleetLabels.PIPELINE);
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
