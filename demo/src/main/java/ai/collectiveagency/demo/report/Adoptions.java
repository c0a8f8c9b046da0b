package ai.collectiveagency.demo.report;

import ai.collectiveagency.demo.fleet.ReplicaReading;
import ai.collectiveagency.demo.fleet.ScaledStage;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Times each checkpoint announced during the run from its announcement to the first scrape at
 * which every running rollout replica serves it (or a newer one: a replica may skip a version
 * that a newer one overtook while it loaded). A replica that does not answer serves nothing yet.
 */
final class Adoptions {

    /** Announced versions not yet served by all, with their announcement time. */
    private final TreeMap<Long, Long> pending = new TreeMap<>();
    private final List<Adoption> done = new ArrayList<>();
    private long newestSeen = -1;

    void announced(long version, long announcedMs) {
        if (version > newestSeen) {
            newestSeen = version;
            pending.put(version, announcedMs);
        }
    }

    /** The checkpoints that {@code readings} (one scrape of the fleet) show served by all. */
    List<Adoption> served(List<ReplicaReading> readings) {
        List<ReplicaReading> rollout = readings.stream()
                .filter(r -> r.stage() == ScaledStage.ROLLOUT).toList();
        if (rollout.isEmpty()) {
            return List.of();
        }
        OptionalLong oldestServed = rollout.stream().mapToLong(r -> r.policyVersion() == null
                ? -1 : r.policyVersion()).min();
        long at = rollout.stream().mapToLong(ReplicaReading::atMillis).max().orElseThrow();
        List<Adoption> now = new ArrayList<>();
        var servedByAll = pending.headMap(oldestServed.getAsLong(), true);
        servedByAll.forEach((version, announced) -> now.add(
                new Adoption(version, announced, at)));
        servedByAll.clear();
        done.addAll(now);
        return now;
    }

    /** Every adoption timed so far, in version order. */
    List<Adoption> all() {
        return List.copyOf(done);
    }
}
