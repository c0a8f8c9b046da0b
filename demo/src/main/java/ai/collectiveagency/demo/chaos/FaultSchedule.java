package ai.collectiveagency.demo.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * A seeded schedule of faults over a run: a SIGKILL of each service, one broker restart and
 * poison into each consumed topic, in an order and at moments drawn from {@code seed}. The
 * faults fall between the first {@link #QUIET_START} and the last {@link #QUIET_END} of the run
 * (the loop runs undisturbed before the first fault and recovers after the last), one per equal
 * slot, each in the middle half of its slot: two faults are never closer than half a slot, so
 * the loop makes progress between them. The same seed and length give the same schedule.
 */
final class FaultSchedule {

    /** The share of the run before the first fault. */
    static final double QUIET_START = 0.1;
    /** The share of the run after the last fault. */
    static final double QUIET_END = 0.2;

    private FaultSchedule() {
    }

    /**
     * @param services the services to kill, each once
     * @param topics the topics to poison, each once
     * @return the faults, earliest first
     */
    static List<Fault> draw(long seed, Duration length, List<String> services,
            List<String> topics) {
        Random random = new Random(seed);
        List<Fault> unplaced = new ArrayList<>();
        services.forEach(service -> unplaced.add(new Fault(Duration.ZERO, Fault.Kind.KILL,
                service)));
        unplaced.add(new Fault(Duration.ZERO, Fault.Kind.RESTART_BROKER, ""));
        topics.forEach(topic -> unplaced.add(new Fault(Duration.ZERO, Fault.Kind.POISON,
                topic)));
        Collections.shuffle(unplaced, random);
        double start = length.toMillis() * QUIET_START;
        double slot = length.toMillis() * (1 - QUIET_START - QUIET_END) / unplaced.size();
        List<Fault> placed = new ArrayList<>();
        for (int i = 0; i < unplaced.size(); i++) {
            long at = Math.round(start + slot * (i + 0.25 + 0.5 * random.nextDouble()));
            Fault fault = unplaced.get(i);
            placed.add(new Fault(Duration.ofMillis(at), fault.kind(), fault.target()));
        }
        placed.sort(Comparator.comparing(Fault::at));
        return List.copyOf(placed);
    }
}
