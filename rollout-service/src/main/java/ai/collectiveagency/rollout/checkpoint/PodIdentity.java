package ai.collectiveagency.rollout.checkpoint;

import java.util.Map;
import java.util.Optional;

/**
 * The pod this replica runs in, as the Downward API tells it: environment variables
 * {@value #NAME} ({@code fieldRef: metadata.name}) and {@value #NAMESPACE}
 * ({@code metadata.namespace}).
 *
 * @param name the pod's name
 * @param namespace its namespace
 */
public record PodIdentity(String name, String namespace) {

    /** The variable that names the pod. */
    public static final String NAME = "POD_NAME";
    /** The variable that names its namespace. */
    public static final String NAMESPACE = "POD_NAMESPACE";

    public PodIdentity {
        if (name == null || name.isBlank() || namespace == null || namespace.isBlank()) {
            throw new IllegalArgumentException("a pod needs a name and a namespace, not '" + name
                    + "' in '" + namespace + "'");
        }
    }

    /** The pod, when both variables are set (not blank) in {@code environment}. */
    public static Optional<PodIdentity> fromEnvironment(Map<String, String> environment) {
        String name = environment.getOrDefault(NAME, "").strip();
        String namespace = environment.getOrDefault(NAMESPACE, "").strip();
        return name.isEmpty() || namespace.isEmpty() ? Optional.empty()
                : Optional.of(new PodIdentity(name, namespace));
    }
}
