package ai.collectiveagency.demo.dashboard;

import java.util.List;
import java.util.Map;

/**
 * What one progress window (a few seconds of the run) saw.
 *
 * @param seconds seconds since the run started, at the window's end
 * @param perSecond records per second during the window by stage ({@link #STAGES}); a stage
 *     whose count could not be read is absent
 * @param fleetVersion the newest policy version that sampled a scored group so far
 * @param checkpoint the newest checkpoint version announced so far
 * @param lag consumer lag in records by consumer group at the window's end; empty when the
 *     broker could not be asked
 * @param replicas every running replica of the scaled stages at the window's end, in start
 *     order (rollout-service and reward-service)
 */
public record ProgressWindow(double seconds, Map<String, Double> perSecond, long fleetVersion,
        long checkpoint, Map<String, Long> lag, List<ReplicaPoint> replicas) {

    /** The stages whose throughput is measured: three topics' records and trainer steps. */
    public static final List<String> STAGES = List.of("prompts", "rollouts", "scored", "steps");

    public ProgressWindow {
        perSecond = Map.copyOf(perSecond);
        lag = Map.copyOf(lag);
        replicas = List.copyOf(replicas);
    }

    /** A window without replica readings. */
    public ProgressWindow(double seconds, Map<String, Double> perSecond, long fleetVersion,
            long checkpoint, Map<String, Long> lag) {
        this(seconds, perSecond, fleetVersion, checkpoint, lag, List.of());
    }
}
