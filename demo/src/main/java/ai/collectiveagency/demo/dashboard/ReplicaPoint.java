package ai.collectiveagency.demo.dashboard;

import java.util.Objects;

/**
 * One replica in a progress window.
 *
 * @param service its service, e.g. {@code rollout-service}
 * @param replica its name, {@code <service>-<i>}
 * @param policyVersion the policy version it served at the window's end; null when its stage
 *     exports none (reward-service) or it did not answer
 * @param groupsPerSecond groups it sent per second during the window; null when it did not
 *     answer at both ends of the window
 */
public record ReplicaPoint(String service, String replica, Long policyVersion,
        Double groupsPerSecond) {

    public ReplicaPoint {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(replica, "replica");
    }
}
