package ai.collectiveagency.demo.chaos;

import ai.collectiveagency.demo.fleet.Fleet;
import ai.collectiveagency.demo.fleet.ServiceProcess;
import ai.collectiveagency.schemas.kafka.KafkaClientSettings;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/**
 * Carries out a {@link FaultSchedule} on a running fleet, one fault at a time, printing each as
 * it happens: a killed service is started again and awaited before anything else happens, so
 * that at most one part of the loop is down at any moment, and the next fault waits at least
 * {@link #SETTLE} after the previous one was carried out. A fault that cannot be carried out is
 * printed and tallied, and the run goes on.
 */
final class FaultInjector {

    /** How long a killed service may take to be ready again. */
    static final Duration RESTART = Duration.ofMinutes(3);
    /** How long the broker stays down on its restart. */
    static final Duration BROKER_DOWN = Duration.ofSeconds(5);
    /** The least time between one fault carried out and the next. */
    static final Duration SETTLE = Duration.ofSeconds(5);

    private final Fleet fleet;
    private final FaultTally tally;
    private final Random garbage;
    private final RunClock clock;
    private final PrintStream out;

    FaultInjector(Fleet fleet, FaultTally tally, long seed, RunClock clock, PrintStream out) {
        this.fleet = fleet;
        this.tally = tally;
        this.garbage = new Random(seed);
        this.clock = clock;
        this.out = out;
    }

    /** Each fault at its moment (or {@link #SETTLE} after the previous one, if later). */
    void run(List<Fault> schedule, Runnable waiting) throws InterruptedException {
        Duration earliest = Duration.ZERO;
        for (Fault fault : schedule) {
            clock.waitUntil(max(fault.at(), earliest), waiting);
            out.println(clock.stamp() + "  " + fault.describe());
            switch (fault.kind()) {
                case KILL -> kill(fault.target());
                case RESTART_BROKER -> restartBroker();
                case POISON -> poison(fault.target());
            }
            earliest = clock.elapsed().plus(SETTLE);
        }
    }

    private void kill(String name) throws InterruptedException {
        ServiceProcess process = fleet.services().stream()
                .filter(s -> s.spec().name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service " + name));
        if (process.alive()) {
            process.kill();
            tally.killed(name);
        } else {
            failed(name + " had exited on its own before its kill");
        }
        long started = System.nanoTime();
        try {
            fleet.restart(process, RESTART);
            out.printf("%s  %s ready again after %.0f s%n", clock.stamp(), name,
                    (System.nanoTime() - started) / 1e9);
        } catch (IllegalStateException e) {
            failed(name + " did not come back: " + e.getMessage());
        }
    }

    private void restartBroker() throws InterruptedException {
        try {
            fleet.restartBroker(BROKER_DOWN);
            tally.brokerRestarted();
            out.println(clock.stamp() + "  broker up again on " + fleet.bootstrapServers());
        } catch (RuntimeException e) {
            failed("the broker did not restart: " + e);
        }
    }

    private void poison(String topic) throws InterruptedException {
        try {
            List<String> keys = PoisonRecords.inject(
                    KafkaClientSettings.plaintext(fleet.bootstrapServers()), topic, 1, garbage);
            tally.poisoned(keys);
            out.println(clock.stamp() + "  wrote " + String.join(" and ", keys) + " (garbage "
                    + "bytes, tombstone) to " + topic);
        } catch (RuntimeException e) {
            failed("poison into " + topic + " was not written: " + e);
        }
    }

    private void failed(String what) {
        tally.failed(what);
        out.println(clock.stamp() + "  FAULT NOT CARRIED OUT: " + what);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
