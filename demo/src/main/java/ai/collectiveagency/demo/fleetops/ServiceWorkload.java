package ai.collectiveagency.demo.fleetops;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the Kubernetes API says of one service: its Deployment's replica counts, its pods and
 * the KEDA ScaledObject that scales it.
 *
 * @param service the {@code app.kubernetes.io/name} of its objects
 * @param desired the Deployment's {@code spec.replicas}; 0 without a Deployment
 * @param ready replicas whose pods are ready
 * @param available replicas ready for at least the Deployment's {@code minReadySeconds}
 * @param restarts container restarts over its pods
 * @param pods its pods, by name
 * @param autoscaler the ScaledObject that targets its Deployment, if any
 */
record ServiceWorkload(String service, int desired, int ready, int available, int restarts,
        List<PodState> pods, Optional<AutoscalerState> autoscaler) {

    ServiceWorkload {
        Objects.requireNonNull(service, "service");
        pods = List.copyOf(pods);
        Objects.requireNonNull(autoscaler, "autoscaler");
    }
}
