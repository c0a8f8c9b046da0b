package ai.collectiveagency.prompts.pacing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Decides, before each task is sent, whether every paced consumer group's lag is below its
 * bound: the rollout fleet's on the prompts topic, and the trainer's on the scored topic, so that
 * the loop is fed no faster than its slowest stage trains. Measurements are reused for
 * {@code checkInterval}; in between, every task the gate admits counts towards each lag, so a
 * burst between two measurements cannot overshoot a bound. A measurement cannot see the tasks
 * still on their way to the broker, so those admitted and not yet {@link #settled() settled} when
 * it is taken count on top of it until the next one. While a lag cannot be read the gate
 * holds back, logs the cause once, and retries at the next check. With no group to pace by, every
 * task is admitted.
 *
 * <pre>{@code
 * LagGate gate = new LagGate(List.of(new PacedGroup("rollout-service", source, 64)),
 *         Duration.ofSeconds(1), System::nanoTime);
 * if (gate.admit()) { send(task).whenComplete((ok, error) -> gate.settled()); }
 * }</pre>
 */
public final class LagGate {

    private static final System.Logger LOG = System.getLogger(LagGate.class.getName());

    private final List<Paced> groups;
    private final long intervalNanos;
    private final LongSupplier nanoClock;

    private boolean measured;
    private long measuredAt;
    private long admittedSinceMeasurement;
    /** Admitted and not yet settled; settled from the producer's threads, without the lock. */
    private final AtomicLong unsettled = new AtomicLong();
    private long unsettledAtMeasurement;
    private volatile boolean overSettledWarned;

    /**
     * @param groups        the groups to pace by; none: every task is admitted
     * @param checkInterval how long a measurement is reused
     * @param nanoClock     monotonic time in nanoseconds ({@code System::nanoTime})
     */
    public LagGate(List<PacedGroup> groups, Duration checkInterval, LongSupplier nanoClock) {
        this.groups = groups.stream().map(Paced::new).toList();
        this.intervalNanos = checkInterval.toNanos();
        this.nanoClock = nanoClock;
    }

    /** A gate that admits every task. */
    public static LagGate disabled() {
        return new LagGate(List.of(), Duration.ZERO, System::nanoTime);
    }

    /** The groups paced by, in the order given. */
    public List<PacedGroup> groups() {
        return groups.stream().map(paced -> paced.group).toList();
    }

    /** True when a task may be sent now; the admitted task then counts towards every lag. */
    public synchronized boolean admit() {
        if (!groups.isEmpty() && !belowEveryBound()) {
            return false;
        }
        admittedSinceMeasurement++;
        unsettled.incrementAndGet(); // also unpaced: the producer settles every task it sends
        return true;
    }

    private boolean belowEveryBound() {
        long now = nanoClock.getAsLong();
        if (!measured || now - measuredAt >= intervalNanos) {
            measure(now);
        }
        for (Paced paced : groups) {
            if (!paced.readable || lagOf(paced) >= paced.group.maxLag()) {
                return false;
            }
        }
        return true;
    }

    /**
     * A task {@link #admit() admitted} earlier has reached the broker, failed to, or was never
     * sent; until then it counts on top of every measurement taken while it travels. Takes no
     * lock: it runs on the producer's threads, while {@link #admit()} may be reading a lag.
     */
    public void settled() {
        long before = unsettled.getAndUpdate(count -> Math.max(0, count - 1));
        if (before == 0 && !overSettledWarned) {
            overSettledWarned = true;
            LOG.log(System.Logger.Level.WARNING, "pacing: a task was settled that the gate had "
                    + "not admitted; the count stays at 0");
        }
    }

    /**
     * The lag of {@code group} as last measured, plus the tasks still on their way then and those
     * admitted since; 0 before the first measurement.
     *
     * @throws IllegalArgumentException when the gate does not pace by {@code group}
     */
    public synchronized long lag(String group) {
        return groups.stream().filter(paced -> paced.group.group().equals(group)).findFirst()
                .map(this::lagOf).orElseThrow(() -> new IllegalArgumentException(
                        "not paced by group " + group));
    }

    private long lagOf(Paced paced) {
        return paced.measuredLag + unsettledAtMeasurement + admittedSinceMeasurement;
    }

    private void measure(long now) {
        measured = true;
        measuredAt = now;
        admittedSinceMeasurement = 0;
        unsettledAtMeasurement = unsettled.get();
        for (Paced paced : groups) {
            paced.measure();
        }
    }

    /** A group's last measurement. */
    private static final class Paced {

        final PacedGroup group;
        long measuredLag;
        boolean readable;
        boolean warned;

        Paced(PacedGroup group) {
            this.group = group;
        }

        void measure() {
            try {
                measuredLag = group.source().lag();
                readable = true;
                if (warned) {
                    warned = false;
                    LOG.log(System.Logger.Level.INFO, "pacing: lag of " + group.group()
                            + " readable again, " + measuredLag + " records behind (bound "
                            + group.maxLag() + ")");
                }
            } catch (LagUnavailableException e) {
                readable = false;
                if (!warned) {
                    warned = true;
                    LOG.log(System.Logger.Level.WARNING,
                            "pacing: holding back until the lag can be read: " + e.getMessage());
                }
            }
        }
    }
}
