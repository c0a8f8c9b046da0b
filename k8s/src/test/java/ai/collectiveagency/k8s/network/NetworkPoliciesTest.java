package ai.collectiveagency.k8s.network;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.k8s.render.Manifest;
import ai.collectiveagency.k8s.render.Workload;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pipeline pods talk to nothing they were not allowed to: a default deny in both directions
 * over every service's pods, and an allow to the Kafka cluster for each.
 */
class NetworkPoliciesTest {

    /** The services that ask an LLM judge where an overlay names one (production). */
    private static final List<String> JUDGED = List.of("reward-service", "evaluation-service");

    @ParameterizedTest
    @ValueSource(strings = {"local", "gpu", "production"})
    void everyServiceIsUnderADefaultDeny(String overlay) {
        Manifest manifest = Manifest.overlay(overlay);
        List<NetworkPolicy> denies = manifest.all(NetworkPolicy.class).stream()
                .filter(p -> p.getSpec().getPolicyTypes().containsAll(
                        List.of("Ingress", "Egress")))
                .filter(p -> Optional.ofNullable(p.getSpec().getIngress()).orElse(List.of())
                        .isEmpty()
                        && Optional.ofNullable(p.getSpec().getEgress()).orElse(List.of())
                        .isEmpty())
                .toList();
        assertThat(denies).as(overlay + " default-deny NetworkPolicy").isNotEmpty();
        for (String service : Workload.SERVICES) {
            Map<String, String> labels = podLabels(manifest, service);
            assertThat(denies).as(overlay + ": a default deny selects " + service)
                    .anyMatch(p -> selects(p.getSpec().getPodSelector(), labels));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "gpu", "production"})
    void everyServiceMayReachKafka(String overlay) {
        Manifest manifest = Manifest.overlay(overlay);
        for (String service : Workload.SERVICES) {
            Map<String, String> labels = podLabels(manifest, service);
            assertThat(manifest.all(NetworkPolicy.class))
                    .as(overlay + ": " + service + " may reach the Kafka pods")
                    .anyMatch(p -> selects(p.getSpec().getPodSelector(), labels)
                            && Optional.ofNullable(p.getSpec().getEgress()).orElse(List.of())
                            .stream().flatMap(rule -> Optional.ofNullable(rule.getTo())
                                    .orElse(List.of()).stream())
                            .anyMatch(peer -> peer.getPodSelector() != null
                                    && peer.getPodSelector().getMatchLabels() != null
                                    && peer.getPodSelector().getMatchLabels()
                                    .containsKey("strimzi.io/cluster")));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "gpu", "production"})
    void onlyRolloutMayReachTheKubernetesApi(String overlay) {
        Manifest manifest = Manifest.overlay(overlay);
        for (String service : Workload.SERVICES) {
            Map<String, String> labels = podLabels(manifest, service);
            List<Integer> apiPorts = manifest.all(NetworkPolicy.class).stream()
                    .filter(p -> selects(p.getSpec().getPodSelector(), labels))
                    .flatMap(p -> Optional.ofNullable(p.getSpec().getEgress()).orElse(List.of())
                            .stream())
                    .flatMap(rule -> Optional.ofNullable(rule.getPorts()).orElse(List.of())
                            .stream())
                    .map(port -> port.getPort().getIntVal())
                    .filter(port -> port != null && (port == 443 || port == 6443))
                    .toList();
            if (service.equals("rollout-service")) {
                assertThat(apiPorts).as(overlay + ": rollout may reach the API server (its pod"
                        + " annotations)").contains(443, 6443);
            } else if (!(overlay.equals("production") && JUDGED.contains(service))) {
                // production's reward-service and evaluation-service call their judge on 443
                // (allow-judge.yaml)
                assertThat(apiPorts).as(overlay + ": " + service + " egress on 443/6443")
                        .isEmpty();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "gpu", "production"})
    void onlyTheRolloutApiTakesTrafficBesidesTheManagementPort(String overlay) {
        Manifest manifest = Manifest.overlay(overlay);
        for (String service : Workload.SERVICES) {
            Map<String, String> labels = podLabels(manifest, service);
            List<String> ingressPorts = manifest.all(NetworkPolicy.class).stream()
                    .filter(p -> selects(p.getSpec().getPodSelector(), labels))
                    .flatMap(p -> Optional.ofNullable(p.getSpec().getIngress())
                            .orElse(List.of()).stream())
                    // A rule without ports, or a port without a number or name, opens them all.
                    .flatMap(rule -> Optional.ofNullable(rule.getPorts()).filter(ports ->
                            !ports.isEmpty()).map(ports -> ports.stream().map(port ->
                                    port.getPort() == null ? "any"
                                            : String.valueOf(port.getPort().getValue())))
                            .orElseGet(() -> Stream.of("any")))
                    .toList();
            List<String> allowed = service.equals("rollout-service")
                    ? List.of("management", "8081") : List.of("management");
            assertThat(ingressPorts).as(overlay + ": ports open to " + service)
                    .isNotEmpty().isSubsetOf(allowed);
        }
    }

    @Test
    void inTheGpuOverlayOnlyTheRolloutServiceReachesTheVllmEngine() {
        Manifest gpu = Manifest.overlay("gpu");
        Deployment deployment = gpu.find(Deployment.class, "vllm-engine")
                .orElseThrow(() -> new AssertionError("gpu has no vllm-engine"));
        Map<String, String> engine = deployment.getSpec().getTemplate().getMetadata()
                .getLabels();
        // A named port opens what the pod's containers name so; base's metrics scrape names
        // `management`, which the engine has not.
        List<String> engineNamedPorts = deployment.getSpec().getTemplate().getSpec()
                .getContainers().stream().flatMap(c -> Optional.ofNullable(c.getPorts())
                        .orElse(List.of()).stream())
                .map(ContainerPort::getName).filter(java.util.Objects::nonNull).toList();
        Map<String, String> rollout = podLabels(gpu, "rollout-service");
        List<NetworkPolicy> policies = gpu.all(NetworkPolicy.class);
        assertThat(policies).as("a default deny selects the engine").anyMatch(p ->
                selects(p.getSpec().getPodSelector(), engine)
                        && p.getSpec().getPolicyTypes().containsAll(List.of("Ingress", "Egress"))
                        && Optional.ofNullable(p.getSpec().getIngress()).orElse(List.of())
                        .isEmpty());
        List<NetworkPolicyIngressRule> ingress = policies.stream()
                .filter(p -> selects(p.getSpec().getPodSelector(), engine))
                .flatMap(p -> Optional.ofNullable(p.getSpec().getIngress()).orElse(List.of())
                        .stream())
                .filter(rule -> rule.getPorts() == null || rule.getPorts().isEmpty()
                        || rule.getPorts().stream().anyMatch(port -> port.getPort() == null
                                || port.getPort().getIntVal() != null
                                || engineNamedPorts.contains(port.getPort().getStrVal())))
                .toList();
        assertThat(ingress).as("ingress rules that open a port of the engine").isNotEmpty()
                .allSatisfy(rule -> {
            assertThat(rule.getPorts()).as("ports").isNotEmpty().allSatisfy(port ->
                    assertThat(port.getPort().getIntVal()).isEqualTo(8000));
            assertThat(rule.getFrom()).as("peers").isNotEmpty().allSatisfy(peer -> {
                assertThat(peer.getNamespaceSelector()).as("no other namespace").isNull();
                assertThat(peer.getIpBlock()).as("no address block").isNull();
                assertThat(peer.getPodSelector()).as("a pod selector").isNotNull();
                assertThat(selects(peer.getPodSelector(), rollout)).as("admits rollout pods")
                        .isTrue();
                for (String other : Workload.SERVICES) {
                    if (!other.equals("rollout-service")) {
                        assertThat(selects(peer.getPodSelector(), podLabels(gpu, other)))
                                .as("admits " + other).isFalse();
                    }
                }
            });
        });
        assertThat(policies).as("rollout pods may send to the engine on 8000").anyMatch(p ->
                selects(p.getSpec().getPodSelector(), rollout)
                        && Optional.ofNullable(p.getSpec().getEgress()).orElse(List.of())
                        .stream().anyMatch(rule -> Optional.ofNullable(rule.getTo())
                                .orElse(List.of()).stream().anyMatch(peer ->
                                        peer.getPodSelector() != null
                                        && selects(peer.getPodSelector(), engine))
                                && Optional.ofNullable(rule.getPorts()).orElse(List.of())
                                .stream().anyMatch(port ->
                                        Integer.valueOf(8000).equals(port.getPort().getIntVal()))));
    }

    private static Map<String, String> podLabels(Manifest manifest, String service) {
        return Workload.of(manifest, service).podLabels();
    }

    /** Kubernetes's label-selector rule: every label and every expression must match. */
    private static boolean selects(LabelSelector selector, Map<String, String> labels) {
        Map<String, String> wanted = Optional.ofNullable(selector.getMatchLabels())
                .orElse(Map.of());
        if (!labels.entrySet().containsAll(wanted.entrySet())) {
            return false;
        }
        for (LabelSelectorRequirement expression : Optional.ofNullable(
                selector.getMatchExpressions()).orElse(List.of())) {
            String value = labels.get(expression.getKey());
            List<String> values = Optional.ofNullable(expression.getValues()).orElse(List.of());
            boolean matches = switch (expression.getOperator()) {
                case "In" -> values.contains(value);
                case "NotIn" -> !values.contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> throw new AssertionError("unknown selector operator "
                        + expression.getOperator());
            };
            if (!matches) {
                return false;
            }
        }
        return true;
    }
}
