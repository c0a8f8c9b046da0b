package ai.collectiveagency.k8s.workloads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import ai.collectiveagency.k8s.render.Kustomize;
import ai.collectiveagency.k8s.render.Manifest;
import ai.collectiveagency.k8s.render.Workload;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Kubernetes API is open to the rollout-service alone, for exactly what its pod annotations
 * need (reading and patching pods, in its namespace); every other service's pod carries no
 * service-account token; the rollout pod learns its own name and namespace from the Downward API
 * under the names the service reads.
 */
class RbacTest {

    private static final String ROLLOUT = "rollout-service";
    private static final String ROLE = "rollout-pod-annotator";
    private static final String NAMESPACE = "alignment";
    /** Where the service reads the Downward API's variables. */
    private static final Path POD_IDENTITY = Path.of("rollout-service/src/main/java/ai/"
            + "collectiveagency/rollout/checkpoint/PodIdentity.java");
    /** The variables, by the field of the pod each one carries. */
    private static final Map<String, String> DOWNWARD = Map.of("POD_NAME", "metadata.name",
            "POD_NAMESPACE", "metadata.namespace");

    @ParameterizedTest
    @ValueSource(strings = {"local", "gpu", "production"})
    void theOnlyRoleLetsRolloutReadAndPatchPods(String overlay) {
        Manifest manifest = Manifest.overlay(overlay);
        assertThat(manifest.all(ClusterRole.class)).as(overlay + " ClusterRoles").isEmpty();
        assertThat(manifest.all(ClusterRoleBinding.class)).as(overlay + " ClusterRoleBindings")
                .isEmpty();
        assertThat(manifest.all(Role.class)).as(overlay + " Roles").singleElement()
                .satisfies(role -> {
                    assertThat(role.getMetadata().getName()).isEqualTo(ROLE);
                    assertThat(role.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
                    assertThat(role.getRules()).as(overlay + " " + ROLE + " rules")
                            .singleElement().satisfies(RbacTest::isGetAndPatchOnPods);
                });
    }

    private static void isGetAndPatchOnPods(PolicyRule rule) {
        assertThat(rule.getApiGroups()).as("the core API group").containsExactly("");
        assertThat(rule.getResources()).containsExactly("pods");
        assertThat(rule.getVerbs()).containsExactlyInAnyOrder("get", "patch");
        assertThat(rule.getNonResourceURLs()).isNullOrEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "gpu", "production"})
    void theRoleIsBoundToTheRolloutServiceAccountAlone(String overlay) {
        Manifest manifest = Manifest.overlay(overlay);
        assertThat(manifest.all(RoleBinding.class)).as(overlay + " RoleBindings").singleElement()
                .satisfies(binding -> {
                    assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
                    assertThat(binding.getRoleRef().getName()).isEqualTo(ROLE);
                    assertThat(binding.getSubjects()).extracting(Subject::getKind,
                            Subject::getName, Subject::getNamespace).as(overlay + " subjects")
                            .containsExactly(tuple(
                                    "ServiceAccount", ROLLOUT, NAMESPACE));
                });
        assertThat(Workload.of(manifest, ROLLOUT).pod().getServiceAccountName())
                .as(overlay + " rollout pods' ServiceAccount").isEqualTo(ROLLOUT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "gpu", "production"})
    void onlyTheRolloutPodCarriesAServiceAccountToken(String overlay) {
        Manifest manifest = Manifest.overlay(overlay);
        Map<String, Boolean> tokens = Workload.SERVICES.stream().collect(Collectors.toMap(
                service -> service, service -> mountsToken(manifest,
                        Workload.of(manifest, service).pod())));
        assertThat(tokens).as(overlay + ": service-account token mounted, by service")
                .containsEntry(ROLLOUT, true)
                .containsEntry("prompt-generator", false)
                .containsEntry("reward-service", false)
                .containsEntry("trainer-service", false)
                .containsEntry("evaluation-service", false);
    }

    /** Kubernetes's rule: the pod's setting, else its ServiceAccount's, else mounted. */
    private static boolean mountsToken(Manifest manifest, PodSpec pod) {
        String account = Optional.ofNullable(pod.getServiceAccountName()).orElse("default");
        return Optional.ofNullable(pod.getAutomountServiceAccountToken())
                .or(() -> manifest.find(ServiceAccount.class, account)
                        .map(ServiceAccount::getAutomountServiceAccountToken))
                .orElse(true);
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "gpu", "production"})
    void theRolloutPodKnowsItselfFromTheDownwardApi(String overlay) {
        List<EnvVar> environment = Workload.of(Manifest.overlay(overlay), ROLLOUT)
                .mainContainer().getEnv();
        DOWNWARD.forEach((variable, field) -> assertThat(environment)
                .as(overlay + " rollout " + variable)
                .filteredOn(env -> env.getName().equals(variable)).singleElement()
                .satisfies(env -> assertThat(env.getValueFrom().getFieldRef().getFieldPath())
                        .isEqualTo(field)));
    }

    @Test
    void theServiceReadsTheVariablesTheManifestSets() throws IOException {
        String source = Files.readString(Kustomize.projectRoot().resolve(POD_IDENTITY));
        DOWNWARD.keySet().forEach(variable -> assertThat(source).as(POD_IDENTITY.toString())
                .contains("\"" + variable + "\""));
    }
}
