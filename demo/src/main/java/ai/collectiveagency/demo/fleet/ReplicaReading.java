package ai.collectiveagency.demo.fleet;

import java.util.Objects;

/**
 * One scrape of a replica's {@code /q/metrics}.
 *
 * @param stage the replica's stage
 * @param replica its name, {@code <service>-<i>}
 * @param policyVersion the policy version it serves; null when its stage exports none or it
 *     did not answer (starting, stopping, killed)
 * @param groups the groups it has sent since it started; null when it did not answer
 * @param atNanos when it was read ({@link System#nanoTime()})
 * @param atMillis when it was read (epoch milliseconds)
 */
public record ReplicaReading(ScaledStage stage, String replica, Long policyVersion,
        Double groups, long atNanos, long atMillis) {

    public ReplicaReading {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(replica, "replica");
    }

    /** Whether the replica answered. */
    public boolean answered() {
        return groups != null;
    }
}
