package ai.collectiveagency.demo.fleet;

import ai.collectiveagency.schemas.topics.TopicCatalogue;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Changes how many replicas of a scaled stage run while the loop runs: one more starts as
 * {@code <service>-<i>} with the lowest free {@code i} (its own ports and log) and joins the
 * stage's consumer group; one fewer stops the highest-numbered replica gracefully (SIGTERM: it
 * finishes or leaves unacknowledged the batch in flight, and leaves the group), and the group
 * gives its partitions to the others. Says what it does on {@code out}.
 */
public final class ReplicaScaler {

    /** How long a stopping replica may take to finish its batch before it is killed. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final Fleet fleet;
    private final LoopServices services;
    private final TopicCatalogue topics;
    private final Duration startTimeout;
    private final PrintStream out;

    public ReplicaScaler(Fleet fleet, LoopServices services, TopicCatalogue topics,
            Duration startTimeout, PrintStream out) {
        this.fleet = fleet;
        this.services = services;
        this.topics = topics;
        this.startTimeout = startTimeout;
        this.out = out;
    }

    /** Why {@code count} replicas of {@code service} cannot run, or empty when they can. */
    public Optional<String> refusal(String service, int count) {
        return ScaledStage.refusal(service, count, topics);
    }

    /** The replicas of {@code stage} in the fleet, running or starting, by number. */
    public List<ServiceProcess> replicas(ScaledStage stage) {
        return fleet.services().stream().filter(p -> p.spec().name().equals(stage.service()))
                .filter(ServiceProcess::alive)
                .sorted(Comparator.comparingInt(p -> number(stage, p))).toList();
    }

    /**
     * Starts or stops replicas of {@code stage} one at a time until {@code count} run; a
     * replica that fails to start is reported and the scaling stops there.
     *
     * @throws IllegalArgumentException when {@link #refusal} refuses {@code count}
     */
    public void scale(ScaledStage stage, int count) throws InterruptedException {
        refusal(stage.service(), count).ifPresent(reason -> {
            throw new IllegalArgumentException(reason);
        });
        List<ServiceProcess> running = replicas(stage);
        out.printf("demo: %s: %d -> %d replicas%n", stage.service(), running.size(), count);
        while (running.size() > count) {
            ServiceProcess last = running.get(running.size() - 1);
            out.println("demo: stopping " + last.spec().replica() + " (SIGTERM)");
            fleet.remove(last, STOP_GRACE);
            out.println("demo: " + last.spec().replica() + " stopped; its partitions go to "
                    + "the other replicas");
            running = replicas(stage);
        }
        while (running.size() < count) {
            ServiceSpec spec = services.replica(stage, freeNumber(stage, running));
            out.println("demo: starting " + spec.replica() + " ...");
            try {
                fleet.add(spec, startTimeout);
            } catch (IllegalStateException failed) {
                out.println("demo: " + spec.replica() + " did not start: "
                        + failed.getMessage().lines().findFirst().orElse("") + " (its log: "
                        + fleet.logs().resolve(spec.replica() + ".log") + ")");
                return;
            }
            out.println("demo: " + spec.replica() + " up; it joins " + stage.service()
                    + "'s consumer group");
            running = replicas(stage);
        }
    }

    private static int freeNumber(ScaledStage stage, List<ServiceProcess> running) {
        TreeSet<Integer> used = new TreeSet<>();
        running.forEach(p -> used.add(number(stage, p)));
        int free = 0;
        while (used.contains(free)) {
            free++;
        }
        return free;
    }

    /** {@code i} of the replica {@code <service>-<i>}. */
    private static int number(ScaledStage stage, ServiceProcess process) {
        return Integer.parseInt(process.spec().replica().substring(stage.service().length() + 1));
    }
}
