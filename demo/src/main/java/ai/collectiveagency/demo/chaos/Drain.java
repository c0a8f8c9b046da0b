package ai.collectiveagency.demo.chaos;

import ai.collectiveagency.demo.chaos.Accounting.Stage;
import ai.collectiveagency.demo.fleet.Fleet;
import ai.collectiveagency.demo.fleet.ServiceProcess;
import ai.collectiveagency.schemas.topics.PipelineClient;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The end of a chaos run: no new tasks, then the loop works off what is in flight. The
 * prompt-generator stops first; then, for at most a bound, the run waits until every task has
 * been consumed by the rollout-service and every group by the reward-service, and the trainer
 * has caught up with the scored topic or stopped advancing for {@link #TRAINER_IDLE} (a trainer
 * that waits for a full batch takes no step on the last groups). The trainer then gets SIGTERM
 * (it writes a last checkpoint of what it trained), and the rest stop with it.
 */
final class Drain {

    /** How long the trainer's backlog may stay the same before it is taken as all it will do. */
    static final Duration TRAINER_IDLE = Duration.ofSeconds(20);
    /** A stopping service's grace before SIGKILL; the trainer writes a checkpoint in it. */
    static final Duration GRACE = Duration.ofSeconds(60);

    private static final Duration LOOK_EVERY = Duration.ofSeconds(3);

    private final Fleet fleet;
    private final RunFactsReader reader;
    private final FaultTally tally;
    private final RunClock clock;
    private final PrintStream out;

    Drain(Fleet fleet, RunFactsReader reader, FaultTally tally, RunClock clock,
            PrintStream out) {
        this.fleet = fleet;
        this.reader = reader;
        this.tally = tally;
        this.clock = clock;
        this.out = out;
    }

    /** Drains for at most {@code bound}, then stops every service. */
    void run(Duration bound) throws InterruptedException {
        fleet.services().stream().filter(s -> !s.alive()).forEach(s -> out.println(
                clock.stamp() + "  drain: " + s.spec().name() + " is not running (it exited "
                        + "on its own)"));
        stop(PipelineClient.PROMPT_GENERATOR);
        out.println(clock.stamp() + "  drain: prompt-generator stopped; waiting (at most "
                + bound.toSeconds() + " s) for the loop to work off what is in flight");
        long deadline = System.nanoTime() + bound.toNanos();
        int trainerBacklog = Integer.MAX_VALUE;
        long trainerSince = System.nanoTime();
        Map<Stage, Integer> waiting = Map.of();
        while (System.nanoTime() < deadline) {
            Optional<Map<Stage, Integer>> now = inFlight();
            if (now.isPresent()) {
                waiting = now.get();
                int trainer = waiting.getOrDefault(Stage.TRAINER, 0);
                if (waiting.getOrDefault(Stage.ROLLOUT, 0) + waiting.getOrDefault(Stage.REWARD,
                        0) > 0 || trainer < trainerBacklog) {
                    trainerBacklog = trainer;
                    trainerSince = System.nanoTime();
                }
                if (trainerBacklog == 0 && waiting.values().stream().allMatch(n -> n == 0)
                        || System.nanoTime() - trainerSince > TRAINER_IDLE.toNanos()) {
                    break;
                }
            }
            clock.waitUntil(clock.elapsed().plus(LOOK_EVERY), () -> { });
        }
        out.println(clock.stamp() + "  drain: in flight " + describe(waiting)
                + (System.nanoTime() >= deadline ? " (bound reached)" : "")
                + "; stopping the trainer (SIGTERM: it writes a last checkpoint) and the rest");
        stop(PipelineClient.TRAINER_SERVICE);
        stop(PipelineClient.REWARD_SERVICE);
        stop(PipelineClient.ROLLOUT_SERVICE);
    }

    /** The tasks in flight by stage now; empty when the broker could not tell. */
    private Optional<Map<Stage, Integer>> inFlight() throws InterruptedException {
        try {
            return Optional.of(Reconciliation.of(reader.read(tally.poison())).inFlightByStage());
        } catch (RuntimeException notNow) {
            out.println(clock.stamp() + "  drain: cannot read the run's state yet: " + notNow);
            return Optional.empty();
        }
    }

    private void stop(PipelineClient service) throws InterruptedException {
        for (ServiceProcess process : fleet.services()) {
            if (process.spec().name().equals(service.user())) {
                process.stop(GRACE);
            }
        }
    }

    static String describe(Map<Stage, Integer> waiting) {
        return "rollout-service " + waiting.getOrDefault(Stage.ROLLOUT, 0) + ", reward-service "
                + waiting.getOrDefault(Stage.REWARD, 0) + ", trainer-service "
                + waiting.getOrDefault(Stage.TRAINER, 0);
    }
}
