package ai.collectiveagency.k8s.render.keda;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import java.util.List;
import java.util.Map;

/**
 * KEDA's {@code keda.sh/v1alpha1} ScaledObject and TriggerAuthentication, as KEDA 2.17 defines
 * them (pkg/apis/keda/v1alpha1): fabric8 has no model for them, and these records are read
 * with unknown fields failing. Only the fields KEDA has are here; the ones the manifests do not
 * use are kept so a valid manifest that uses them still parses.
 */
public final class KedaModel {

    private KedaModel() {
    }

    public record ScaledObject(String apiVersion, String kind, ObjectMeta metadata,
            ScaledObjectSpec spec) {
    }

    public record ScaledObjectSpec(ScaleTarget scaleTargetRef, Integer pollingInterval,
            Integer initialCooldownPeriod, Integer cooldownPeriod, Integer idleReplicaCount,
            Integer minReplicaCount, Integer maxReplicaCount, Advanced advanced,
            List<Trigger> triggers, Fallback fallback) {
    }

    public record ScaleTarget(String apiVersion, String kind, String name,
            String envSourceContainerName) {
    }

    public record Advanced(HpaConfig horizontalPodAutoscalerConfig,
            Boolean restoreToOriginalReplicaCount, ScalingModifiers scalingModifiers) {
    }

    public record HpaConfig(String name, HorizontalPodAutoscalerBehavior behavior) {
    }

    public record ScalingModifiers(String formula, String target, String activationTarget,
            String metricType) {
    }

    public record Fallback(Integer failureThreshold, Integer replicas, String behavior) {
    }

    public record Trigger(String type, String name, Boolean useCachedMetrics,
            Map<String, String> metadata, AuthenticationRef authenticationRef,
            String metricType) {
    }

    public record AuthenticationRef(String name, String kind) {
    }

    public record TriggerAuthentication(String apiVersion, String kind, ObjectMeta metadata,
            TriggerAuthenticationSpec spec) {
    }

    public record TriggerAuthenticationSpec(List<SecretTargetRef> secretTargetRef,
            List<ConfigMapTargetRef> configMapTargetRef, List<EnvRef> env,
            List<BoundServiceAccountToken> boundServiceAccountToken) {
    }

    public record SecretTargetRef(String parameter, String name, String key) {
    }

    public record ConfigMapTargetRef(String parameter, String name, String key) {
    }

    public record EnvRef(String parameter, String name, String containerName) {
    }

    public record BoundServiceAccountToken(String parameter, String serviceAccountName) {
    }
}
