package ai.collectiveagency.demo.dashboard;

import ai.collectiveagency.demo.fleet.ReplicaReading;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the replicas' readings at each window's end into {@link ReplicaPoint}s: groups per second
 * from the difference of each replica's counter to its reading at the previous window's end.
 */
public final class ReplicaRates {

    private final Map<String, ReplicaReading> previous = new HashMap<>();

    /** The window's points, one per reading, in the readings' order. */
    public List<ReplicaPoint> points(List<ReplicaReading> readings) {
        List<ReplicaPoint> points = readings.stream().map(this::point).toList();
        readings.stream().filter(ReplicaReading::answered)
                .forEach(r -> previous.put(r.replica(), r));
        return points;
    }

    private ReplicaPoint point(ReplicaReading now) {
        ReplicaReading before = previous.get(now.replica());
        Double rate = null;
        if (now.answered() && before != null && now.atNanos() > before.atNanos()
                && now.groups() >= before.groups()) {  // less: a restarted replica
            rate = (now.groups() - before.groups()) / ((now.atNanos() - before.atNanos()) / 1e9);
        }
        return new ReplicaPoint(now.stage().service(), now.replica(), now.policyVersion(), rate);
    }
}
