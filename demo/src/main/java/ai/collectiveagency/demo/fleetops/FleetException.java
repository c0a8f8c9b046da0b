package ai.collectiveagency.demo.fleetops;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Why {@code ./pipeline fleet} could not do its work (the Kubernetes API not reachable or
 * refusing, a Deployment that is not there, a pin that could not be written or read): one
 * sentence for the operator.
 */
public final class FleetException extends RuntimeException {

    public FleetException(String message) {
        super(message);
    }

    public FleetException(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@code e}, raised while {@code doing}, as a sentence naming the API server. */
    static FleetException of(KubernetesClient client, String doing,
            KubernetesClientException e) {
        String why = e.getCode() > 0
                ? "it answered " + e.getCode() + " " + e.getStatus().getReason() + ": "
                        + e.getStatus().getMessage()
                : "it could not be reached (" + rootCause(e) + ")";
        return new FleetException("cannot " + doing + " through the Kubernetes API at "
                + client.getMasterUrl() + ": " + why + KubeConfig.hint(client), e);
    }

    static String rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
