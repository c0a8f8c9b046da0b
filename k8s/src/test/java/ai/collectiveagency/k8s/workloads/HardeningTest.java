package ai.collectiveagency.k8s.workloads;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.k8s.render.Manifest;
import ai.collectiveagency.k8s.render.Workload;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every container of every service, in every overlay: probed on the management port, limited,
 * non-root, on a read-only root file system, with nothing it does not need; pinned images;
 * termination longer than the service's own shutdown.
 */
class HardeningTest {

    private static final String VERSION = System.getProperty("project.version");

    @ParameterizedTest
    @ValueSource(strings = {"local", "gpu", "production"})
    void everyServiceContainerIsProbedOnItsManagementPort(String overlay) {
        Manifest manifest = Manifest.overlay(overlay);
        for (String service : Workload.SERVICES) {
            Workload workload = Workload.of(manifest, service);
            Container main = workload.mainContainer();
            int management = Integer.parseInt(workload.setting("quarkus.management.port"));
            assertProbe(overlay, service, "liveness", main.getLivenessProbe(), management,
                    "/q/health/live");
            assertProbe(overlay, service, "readiness", main.getReadinessProbe(), management,
                    "/q/health/ready");
            assertProbe(overlay, service, "startup", main.getStartupProbe(), management,
                    "/q/health/started");
        }
    }

    private static void assertProbe(String overlay, String service, String kind, Probe probe,
            int port, String path) {
        String what = overlay + " " + service + " " + kind + " probe";
        assertThat(probe).as(what).isNotNull();
        assertThat(probe.getHttpGet()).as(what + " is an HTTP GET").isNotNull();
        assertThat(probe.getHttpGet().getPath()).as(what).isEqualTo(path);
        Object probed = probe.getHttpGet().getPort().getIntVal() != null
                ? probe.getHttpGet().getPort().getIntVal()
                : probe.getHttpGet().getPort().getStrVal();
        assertThat(probed).as(what + " port").isIn(port, "management");
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "gpu", "production"})
    void everyContainerIsLimitedNonRootAndReadOnly(String overlay) {
        Manifest manifest = Manifest.overlay(overlay);
        for (String service : Workload.SERVICES) {
            Workload workload = Workload.of(manifest, service);
            PodSecurityContext pod = Optional.ofNullable(workload.pod().getSecurityContext())
                    .orElseGet(PodSecurityContext::new);
            for (Container container : workload.allContainers()) {
                String what = overlay + " " + service + " container " + container.getName();
                assertThat(container.getResources()).as(what + " resources").isNotNull();
                assertThat(container.getResources().getRequests()).as(what + " requests")
                        .containsKeys("cpu", "memory");
                assertThat(container.getResources().getLimits()).as(what + " limits")
                        .containsKey("memory");
                SecurityContext security = container.getSecurityContext();
                assertThat(security).as(what + " securityContext").isNotNull();
                assertThat(Optional.ofNullable(security.getRunAsNonRoot())
                        .orElse(pod.getRunAsNonRoot())).as(what + " runAsNonRoot").isTrue();
                assertThat(security.getReadOnlyRootFilesystem())
                        .as(what + " readOnlyRootFilesystem").isTrue();
                assertThat(security.getAllowPrivilegeEscalation())
                        .as(what + " allowPrivilegeEscalation").isFalse();
                assertThat(security.getCapabilities()).as(what + " capabilities").isNotNull();
                assertThat(security.getCapabilities().getDrop()).as(what + " drops")
                        .contains("ALL");
                assertThat(Optional.ofNullable(security.getCapabilities().getAdd())
                        .orElse(java.util.List.of())).as(what + " adds").isEmpty();
                String seccomp = Optional.ofNullable(security.getSeccompProfile())
                        .or(() -> Optional.ofNullable(pod.getSeccompProfile()))
                        .map(p -> p.getType()).orElse(null);
                assertThat(seccomp).as(what + " seccomp").isEqualTo("RuntimeDefault");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "gpu", "production"})
    void everyImageIsPinnedToTheBuiltVersion(String overlay) {
        assertThat(VERSION).as("project.version from the build").isNotBlank();
        Manifest manifest = Manifest.overlay(overlay);
        for (String service : Workload.SERVICES) {
            for (Container container : Workload.of(manifest, service).allContainers()) {
                String image = container.getImage();
                String tag = image.substring(image.lastIndexOf(':') + 1);
                assertThat(image).as(overlay + " " + container.getName() + " image has a tag")
                        .contains(":");
                assertThat(tag).as(overlay + " " + container.getName() + " image " + image)
                        .isNotEqualTo("latest")
                        .isIn(VERSION, VERSION + "-cuda");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "gpu", "production"})
    void terminationOutlastsTheServicesShutdown(String overlay) {
        Manifest manifest = Manifest.overlay(overlay);
        for (String service : Workload.SERVICES) {
            Workload workload = Workload.of(manifest, service);
            Duration shutdown = Duration.parse("PT" + workload.setting("quarkus.shutdown.timeout")
                    .toUpperCase(java.util.Locale.ROOT));
            assertThat(workload.pod().getTerminationGracePeriodSeconds())
                    .as(overlay + " " + service + " terminationGracePeriodSeconds")
                    .isNotNull().isGreaterThan(shutdown.toSeconds());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "gpu", "production"})
    void scalableStagesSpreadAndHaveABudget(String overlay) {
        Manifest manifest = Manifest.overlay(overlay);
        for (String service : new String[] {"rollout-service", "reward-service"}) {
            Workload workload = Workload.of(manifest, service);
            assertThat(workload.pod().getTopologySpreadConstraints())
                    .as(overlay + " " + service + " topologySpreadConstraints").isNotEmpty();
            Deployment deployment = (Deployment) workload.workload();
            assertThat(manifest.all(PodDisruptionBudget.class))
                    .as(overlay + " " + service + " PodDisruptionBudget")
                    .anySatisfy(pdb -> assertThat(pdb.getSpec().getSelector().getMatchLabels())
                            .isEqualTo(deployment.getSpec().getSelector().getMatchLabels()));
        }
    }
}
