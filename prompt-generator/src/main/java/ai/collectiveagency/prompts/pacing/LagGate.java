package ai.collectiveagency.prompts.pacing;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Decides, before each task is sent, whether the paced consumer group's lag is below the bound.
 * A measurement is reused for {@code checkInterval}; in between, every task the gate admits counts
 * towards the lag, so a burst between two measurements cannot overshoot the bound. While the lag
 * cannot be read the gate holds back, logs the cause once, and retries at the next check.
 * A bound of 0 disables pacing: every task is admitted and the source is never asked.
 *
 * <pre>{@code
 * LagGate gate = new LagGate(source, 64, Duration.ofSeconds(1), System::nanoTime);
 * if (gate.admit()) { send(task); }
 * }</pre>
 */
public final class LagGate implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LagGate.class.getName());

    private final LagSource source;
    private final long maxLag;
    private final long intervalNanos;
    private final LongSupplier nanoClock;

    private boolean measured;
    private long measuredAt;
    private long measuredLag;
    private boolean readable;
    private long admittedSinceMeasurement;
    private boolean warned;

    /**
     * @param source        reads the lag
     * @param maxLag        tasks are admitted while the lag is below this; 0 disables pacing
     * @param checkInterval how long a measurement is reused
     * @param nanoClock     monotonic time in nanoseconds ({@code System::nanoTime})
     */
    public LagGate(LagSource source, long maxLag, Duration checkInterval, LongSupplier nanoClock) {
        if (maxLag < 0) {
            throw new IllegalArgumentException("maxLag must be >= 0, was " + maxLag);
        }
        this.source = source;
        this.maxLag = maxLag;
        this.intervalNanos = checkInterval.toNanos();
        this.nanoClock = nanoClock;
    }

    /** A gate that admits every task. */
    public static LagGate disabled() {
        return new LagGate(() -> 0L, 0, Duration.ZERO, System::nanoTime);
    }

    /** True when a task may be sent now; the admitted task then counts towards the lag. */
    public synchronized boolean admit() {
        if (maxLag == 0) {
            return true;
        }
        long now = nanoClock.getAsLong();
        if (!measured || now - measuredAt >= intervalNanos) {
            measure(now);
        }
        if (!readable || lag() >= maxLag) {
            return false;
        }
        admittedSinceMeasurement++;
        return true;
    }

    /** The lag as last measured plus the tasks admitted since; 0 before the first measurement. */
    public synchronized long lag() {
        return measuredLag + admittedSinceMeasurement;
    }

    private void measure(long now) {
        measured = true;
        measuredAt = now;
        try {
            measuredLag = source.lag();
            admittedSinceMeasurement = 0;
            readable = true;
            if (warned) {
                warned = false;
                LOG.log(System.Logger.Level.INFO, "pacing: lag readable again, " + measuredLag
                        + " records behind (bound " + maxLag + ")");
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

    @Override
    public void close() throws Exception {
        if (source instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }
}
