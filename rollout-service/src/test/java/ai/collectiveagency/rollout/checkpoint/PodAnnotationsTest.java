package ai.collectiveagency.rollout.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pod's policy annotations against fabric8's mock API server: in CRUD mode (a pod is
 * created, annotated, read back) and in expectations mode (the server refuses).
 */
class PodAnnotationsTest {

    private static final String NAMESPACE = "alignment";
    private static final String POD = "rollout-service-7d9f-abcde";
    private static final String BASE = "3f".repeat(32);

    private KubernetesMockServer server;
    private KubernetesClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.destroy();
        }
    }

    private void startCrudServer() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init();
        client = server.createClient();
    }

    private void startExpectationsServer() {
        server = new KubernetesMockServer(false);
        server.init();
        client = server.createClient();
    }

    private PodAnnotations annotations(Map<String, String> environment) {
        return new PodAnnotations(PodIdentity.fromEnvironment(environment), () -> client, BASE,
                new SimpleMeterRegistry());
    }

    private static Map<String, String> inPod() {
        return Map.of(PodIdentity.NAME, POD, PodIdentity.NAMESPACE, NAMESPACE);
    }

    @Test
    void eachAdoptionWritesTheServedVersionAndTouchesNothingElse() {
        startCrudServer();
        client.pods().inNamespace(NAMESPACE).resource(new PodBuilder()
                .withNewMetadata().withName(POD).withNamespace(NAMESPACE)
                .addToLabels("app.kubernetes.io/name", "rollout-service")
                .addToAnnotations("kubectl.kubernetes.io/restartedAt", "2026-11-26T10:00:00Z")
                .endMetadata()
                .withNewSpec().addNewContainer().withName("rollout-service")
                .withImage("collective-agency/rollout-service:0.1.0-SNAPSHOT").endContainer()
                .endSpec().build()).create();
        PodAnnotations annotations = annotations(inPod());

        annotations.annotate(0); // start-up, nothing adopted yet
        assertThat(pod().getMetadata().getAnnotations())
                .contains(entry(PodAnnotations.POLICY_VERSION, "0"));
        annotations.loading(3);
        annotations.settled(3);
        annotations.loading(5);
        annotations.settled(5);

        Pod pod = pod();
        assertThat(pod.getMetadata().getAnnotations()).containsOnly(
                entry("kubectl.kubernetes.io/restartedAt", "2026-11-26T10:00:00Z"),
                entry(PodAnnotations.POLICY_VERSION, "5"),
                entry(PodAnnotations.POLICY_BASE_SHA256, BASE));
        assertThat(pod.getMetadata().getLabels())
                .containsOnly(entry("app.kubernetes.io/name", "rollout-service"));
        assertThat(pod.getSpec().getContainers()).singleElement()
                .satisfies(c -> assertThat(c.getImage()).endsWith(":0.1.0-SNAPSHOT"));
        assertThat(annotations.failureCount()).isZero();
    }

    @Test
    void aRefusedCheckpointDoesNotPatchAgain() throws InterruptedException {
        startCrudServer();
        client.pods().inNamespace(NAMESPACE).resource(new PodBuilder().withNewMetadata()
                .withName(POD).withNamespace(NAMESPACE).endMetadata().build()).create();
        PodAnnotations annotations = annotations(inPod());
        annotations.settled(4);
        int requests = server.getRequestCount();

        annotations.loading(6);
        annotations.settled(4); // 6 refused: still serving 4

        assertThat(server.getRequestCount()).isEqualTo(requests);
        assertThat(pod().getMetadata().getAnnotations())
                .contains(entry(PodAnnotations.POLICY_VERSION, "4"));
    }

    @Test
    void outsideAPodNothingIsAskedOfTheServer() {
        startCrudServer();
        PodAnnotations annotations = new PodAnnotations(PodIdentity.fromEnvironment(
                Map.of(PodIdentity.NAME, POD)), () -> {
                    throw new AssertionError("no client outside a pod");
                }, BASE, new SimpleMeterRegistry());

        annotations.annotate(0);
        annotations.settled(2);

        assertThat(server.getRequestCount()).isZero();
        assertThat(annotations.failureCount()).isZero();
    }

    @Test
    void aRefusedPatchIsCountedAndTheNextAdoptionTriesAgain() {
        startExpectationsServer();
        String path = "/api/v1/namespaces/" + NAMESPACE + "/pods/" + POD;
        // fabric8 reads the pod before it patches it (hence get in the Role as well as patch)
        server.expect().get().withPath(path).andReturn(200, new PodBuilder().withNewMetadata()
                .withName(POD).withNamespace(NAMESPACE).endMetadata().build()).always();
        server.expect().patch().withPath(path).andReturn(403, new StatusBuilder()
                .withStatus("Failure").withReason("Forbidden").withCode(403)
                .withMessage("pods \"" + POD + "\" is forbidden: User \"system:serviceaccount:"
                        + NAMESPACE + ":rollout-service\" cannot patch resource \"pods\"")
                .build()).times(2);
        server.expect().patch().withPath(path).andReturn(200, new PodBuilder().withNewMetadata()
                .withName(POD).withNamespace(NAMESPACE)
                .addToAnnotations(PodAnnotations.POLICY_VERSION, "2").endMetadata().build())
                .once();
        PodAnnotations annotations = annotations(inPod());

        annotations.annotate(1); // refused: no exception, counted
        annotations.settled(1); // the same version is tried again: the pod may not carry it
        assertThat(annotations.failureCount()).isEqualTo(2);

        annotations.settled(2);
        annotations.settled(2);
        assertThat(annotations.failureCount()).isEqualTo(2);
        assertThat(server.getRequestCount()).as("three reads and three patches").isEqualTo(6);
    }

    private Pod pod() {
        return client.pods().inNamespace(NAMESPACE).withName(POD).get();
    }
}
