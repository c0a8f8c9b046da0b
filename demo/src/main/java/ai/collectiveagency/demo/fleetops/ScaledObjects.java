package ai.collectiveagency.demo.fleetops;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.net.HttpURLConnection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * KEDA's ScaledObjects ({@code keda.sh/v1alpha1}) of a namespace, read and changed as generic
 * resources: the pipeline needs a few fields of them, not KEDA's model.
 */
final class ScaledObjects {

    /** The paused-replicas annotation: KEDA holds the Deployment at its value. */
    static final String PAUSED_REPLICAS = "autoscaling.keda.sh/paused-replicas";
    /** The paused annotation ({@code "true"}): KEDA stops scaling where the count is. */
    static final String PAUSED = "autoscaling.keda.sh/paused";
    /** KEDA's defaults for unset bounds. */
    static final int DEFAULT_MIN = 0;
    static final int DEFAULT_MAX = 100;

    /** Named in full, so that no discovery call is made (and none fails without KEDA). */
    static final ResourceDefinitionContext SCALED_OBJECT = new ResourceDefinitionContext.Builder()
            .withGroup("keda.sh").withVersion("v1alpha1").withKind("ScaledObject")
            .withPlural("scaledobjects").withNamespaced(true).build();

    private final KubernetesClient client;
    private final String namespace;

    ScaledObjects(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** Every ScaledObject of the namespace; none where KEDA is not installed. */
    List<GenericKubernetesResource> list() {
        try {
            return client.genericKubernetesResources(SCALED_OBJECT).inNamespace(namespace).list()
                    .getItems();
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                return List.of();
            }
            throw e;
        }
    }

    /** The one whose {@code scaleTargetRef} names Deployment {@code deployment}. */
    Optional<GenericKubernetesResource> targeting(String deployment) {
        return list().stream().filter(o -> targets(o, deployment)).findFirst();
    }

    /** KEDA takes a {@code scaleTargetRef} without a kind for a Deployment. */
    static boolean targets(GenericKubernetesResource scaledObject, String deployment) {
        String name = scaledObject.get("spec", "scaleTargetRef", "name");
        String kind = scaledObject.get("spec", "scaleTargetRef", "kind");
        return deployment.equals(name) && (kind == null || kind.equals("Deployment"));
    }

    static AutoscalerState stateOf(GenericKubernetesResource scaledObject) {
        Map<String, String> annotations = scaledObject.getMetadata().getAnnotations();
        Map<String, String> notes = annotations == null ? Map.of() : annotations;
        return new AutoscalerState(scaledObject.getMetadata().getName(),
                bound(scaledObject, "minReplicaCount", DEFAULT_MIN),
                bound(scaledObject, "maxReplicaCount", DEFAULT_MAX),
                condition(scaledObject, "Ready"), condition(scaledObject, "Active"),
                Optional.ofNullable(notes.get(PAUSED_REPLICAS)),
                "true".equalsIgnoreCase(notes.get(PAUSED)));
    }

    /** Sets its bounds to {@code min..max}, leaving everything else as it is. */
    GenericKubernetesResource setBounds(String name, int min, int max) {
        return client.genericKubernetesResources(SCALED_OBJECT).inNamespace(namespace)
                .withName(name).edit(scaledObject -> {
                    Map<String, Object> spec = scaledObject.get("spec");
                    spec.put("minReplicaCount", min);
                    spec.put("maxReplicaCount", max);
                    return scaledObject;
                });
    }

    static int bound(GenericKubernetesResource scaledObject, String field, int unset) {
        Object value = scaledObject.get("spec", field);
        return value instanceof Number number ? number.intValue() : unset;
    }

    private static Optional<String> condition(GenericKubernetesResource scaledObject,
            String type) {
        List<Map<String, Object>> conditions = scaledObject.get("status", "conditions");
        if (conditions == null) {
            return Optional.empty();
        }
        return conditions.stream().filter(c -> type.equals(c.get("type")))
                .map(c -> String.valueOf(c.get("status"))).findFirst();
    }
}
