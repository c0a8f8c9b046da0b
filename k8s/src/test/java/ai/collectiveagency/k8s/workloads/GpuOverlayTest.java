package ai.collectiveagency.k8s.workloads;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.k8s.render.Manifest;
import ai.collectiveagency.k8s.render.Workload;
import io.fabric8.kubernetes.api.model.Container;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The gpu overlay puts generation and training on NVIDIA GPU nodes, with the CUDA images. */
class GpuOverlayTest {

    private static final String GPU = "nvidia.com/gpu";

    private final Manifest gpu = Manifest.overlay("gpu");

    @Test
    void rolloutAndTrainerRunOnGpuNodesWithTheCudaImages() {
        for (String service : List.of("rollout-service", "trainer-service")) {
            Workload workload = Workload.of(gpu, service);
            Container main = workload.mainContainer();
            assertThat(main.getResources().getLimits()).as(service + " limits").containsKey(GPU);
            assertThat(main.getImage()).as(service + " image").endsWith("-cuda");
            assertThat(Optional.ofNullable(workload.pod().getTolerations()).orElse(List.of()))
                    .as(service + " tolerates the GPU nodes' taint")
                    .anyMatch(t -> GPU.equals(t.getKey()));
            assertThat(workload.pod().getNodeSelector()).as(service + " node selector")
                    .isNotEmpty();
        }
    }

    @Test
    void theOtherServicesStayOffTheGpus() {
        // The evaluation-service stays on CPU too: it skips to the newest checkpoint when behind.
        for (String service : List.of("prompt-generator", "reward-service",
                "evaluation-service")) {
            assertThat(Workload.of(gpu, service).mainContainer().getResources().getLimits())
                    .as(service).doesNotContainKey(GPU);
        }
        assertThat(Manifest.overlay("local").all(io.fabric8.kubernetes.api.model.apps
                .Deployment.class)).allSatisfy(d -> d.getSpec().getTemplate().getSpec()
                .getContainers().forEach(c -> assertThat(Optional.ofNullable(
                        c.getResources().getLimits()).orElse(java.util.Map.of()))
                        .as("local " + c.getName()).doesNotContainKey(GPU)));
    }
}
