package ai.collectiveagency.demo.fleetops;

import java.util.Objects;
import java.util.Optional;

/**
 * A KEDA ScaledObject that targets a service's Deployment, as the API shows it now.
 *
 * @param name the ScaledObject's name
 * @param minReplicas {@code spec.minReplicaCount} (KEDA's default 0 when unset)
 * @param maxReplicas {@code spec.maxReplicaCount} (KEDA's default 100 when unset)
 * @param ready its {@code Ready} condition ({@code True}, {@code False}, {@code Unknown}); empty
 *     before KEDA has looked at it
 * @param active its {@code Active} condition: whether the trigger asks for replicas above the
 *     minimum
 * @param pausedReplicas the count KEDA holds while the {@code autoscaling.keda.sh/paused-replicas}
 *     annotation is set
 * @param paused whether the {@code autoscaling.keda.sh/paused} annotation stops scaling
 */
record AutoscalerState(String name, int minReplicas, int maxReplicas, Optional<String> ready,
        Optional<String> active, Optional<String> pausedReplicas, boolean paused) {

    AutoscalerState {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(ready, "ready");
        Objects.requireNonNull(active, "active");
        Objects.requireNonNull(pausedReplicas, "pausedReplicas");
    }

    /** One line for the table: bounds, conditions, a pause. */
    String summary() {
        StringBuilder line = new StringBuilder("KEDA " + name + ": " + minReplicas + ".."
                + maxReplicas + " replicas, ready " + ready.orElse("?") + ", active "
                + active.orElse("?"));
        pausedReplicas.ifPresent(count -> line.append(", paused at ").append(count));
        if (paused) {
            line.append(", paused");
        }
        return line.toString();
    }
}
