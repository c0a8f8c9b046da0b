package ai.collectiveagency.k8s.workloads;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.k8s.render.Manifest;
import ai.collectiveagency.k8s.render.Workload;
import io.fabric8.kubernetes.api.model.Container;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The gpu overlay puts training on an NVIDIA GPU node with the CUDA image, and generation on the
 * vLLM engine's GPUs ({@link VllmEngineTest}): the rollout-service itself needs none there.
 */
class GpuOverlayTest {

    private static final String GPU = "nvidia.com/gpu";

    private final Manifest gpu = Manifest.overlay("gpu");

    @Test
    void theTrainerRunsOnAGpuNodeWithTheCudaImage() {
        for (String service : List.of("trainer-service")) {
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
        // The rollout-service generates on the vLLM engine, with base's CPU image.
        for (String service : List.of("prompt-generator", "rollout-service", "reward-service",
                "evaluation-service")) {
            Container main = Workload.of(gpu, service).mainContainer();
            assertThat(main.getResources().getLimits()).as(service).doesNotContainKey(GPU);
            assertThat(main.getImage()).as(service + " image").doesNotEndWith("-cuda");
        }
        assertThat(Manifest.overlay("local").all(io.fabric8.kubernetes.api.model.apps
                .Deployment.class)).allSatisfy(d -> d.getSpec().getTemplate().getSpec()
                .getContainers().forEach(c -> assertThat(Optional.ofNullable(
                        c.getResources().getLimits()).orElse(java.util.Map.of()))
                        .as("local " + c.getName()).doesNotContainKey(GPU)));
    }
}
