package ai.collectiveagency.demo.chaos;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The faults a run carried out: kills by service, broker restarts, the poison keys written, and
 * each fault that could not be carried out (a service that did not come back, a broker that did
 * not start, poison the broker did not take), with why.
 */
final class FaultTally {

    private final Map<String, Integer> kills = new LinkedHashMap<>();
    private final Set<String> poison = new LinkedHashSet<>();
    private final List<String> failures = new ArrayList<>();
    private int brokerRestarts;

    /** A tally that knows the services to kill, so each shows even with no kill. */
    FaultTally(List<String> services) {
        services.forEach(service -> kills.put(service, 0));
    }

    synchronized void killed(String service) {
        kills.merge(service, 1, Integer::sum);
    }

    synchronized void brokerRestarted() {
        brokerRestarts++;
    }

    synchronized void poisoned(List<String> keys) {
        poison.addAll(keys);
    }

    synchronized void failed(String what) {
        failures.add(what);
    }

    synchronized Map<String, Integer> kills() {
        return new LinkedHashMap<>(kills);
    }

    synchronized int brokerRestarts() {
        return brokerRestarts;
    }

    synchronized Set<String> poison() {
        return Set.copyOf(poison);
    }

    synchronized List<String> failures() {
        return List.copyOf(failures);
    }
}
