package ai.collectiveagency.schemas.health;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * What a liveness check needs to know about one long-running worker thread (a batcher, a
 * follower, a training loop, a judge pool): whether the thread is still alive, and whether it
 * has made progress while work was waiting for it. A thread that died of an {@link Error}, or
 * that holds work without finishing any of it for longer than {@code stallAfter}, is DOWN; an
 * idle thread with nothing to do is UP however long it waits.
 *
 * <pre>{@code
 * WorkerWatch watch = new WorkerWatch("rollout-batcher", Duration.ofMinutes(10));
 * watch.attach(Thread.currentThread());
 * while (running) {
 *     batch = poll();                // idle while nothing comes
 *     if (!batch.isEmpty()) {
 *         watch.working();           // from here the stall clock runs
 *         process(batch);
 *         watch.progressed();        // done: idle again
 *     }
 * }
 * }</pre>
 *
 * Thread-safe: the worker writes, the health check reads.
 */
public final class WorkerWatch {

    private final String name;
    private final long stallAfterNanos;
    private final LongSupplier nanoTime;
    private volatile Thread thread;
    private volatile Throwable death;
    /** When the work in hand was taken up or last progressed; 0 while idle. */
    private volatile long busySince;
    private volatile long progressCount;

    /**
     * @param name the check's name, e.g. {@code rollout-batcher}
     * @param stallAfter how long work may be in hand without progress before the worker counts
     *     as stalled: longer than the slowest unit of work it can legitimately take
     */
    public WorkerWatch(String name, Duration stallAfter) {
        this(name, stallAfter, System::nanoTime);
    }

    WorkerWatch(String name, Duration stallAfter, LongSupplier nanoTime) {
        this.name = Objects.requireNonNull(name, "name");
        if (stallAfter.isNegative() || stallAfter.isZero()) {
            throw new IllegalArgumentException("stallAfter must be positive: " + stallAfter);
        }
        this.stallAfterNanos = stallAfter.toNanos();
        this.nanoTime = nanoTime;
    }

    public String name() {
        return name;
    }

    /** The thread that does the work; DOWN once it is no longer alive. */
    public void attach(Thread worker) {
        this.thread = Objects.requireNonNull(worker, "worker");
        this.death = null;
    }

    /** Work is waiting or in hand: from now on, no progress for {@code stallAfter} is a stall. */
    public void working() {
        if (busySince == 0) {
            busySince = nonZero(nanoTime.getAsLong());
        }
    }

    /** A unit of work finished; the worker counts as idle until {@link #working()} again. */
    public void progressed() {
        progressCount++;
        busySince = 0;
    }

    /** A unit of work finished and more is in hand: the stall clock restarts. */
    public void progressedAndWorking() {
        progressCount++;
        busySince = nonZero(nanoTime.getAsLong());
    }

    /** The worker ended on {@code cause}: DOWN from now on, with the cause as the reason. */
    public void died(Throwable cause) {
        this.death = Objects.requireNonNull(cause, "cause");
    }

    /** Units of work finished since the start. */
    public long progressCount() {
        return progressCount;
    }

    /** UP or DOWN, and why. */
    public Status status() {
        Throwable cause = death;
        if (cause != null) {
            return new Status(false, name + " died: " + cause);
        }
        Thread worker = thread;
        if (worker == null) {
            return new Status(true, name + " not started");
        }
        if (!worker.isAlive()) {
            return new Status(false, name + " thread " + worker.getName() + " is gone");
        }
        long since = busySince;
        if (since != 0) {
            long stalledFor = nanoTime.getAsLong() - since;
            if (stalledFor > stallAfterNanos) {
                return new Status(false, name + " has had work in hand for "
                        + Duration.ofNanos(stalledFor).toSeconds() + " s without progress (limit "
                        + Duration.ofNanos(stallAfterNanos).toSeconds() + " s)");
            }
            return new Status(true, name + " working");
        }
        return new Status(true, name + " idle");
    }

    private static long nonZero(long time) {
        return time == 0 ? 1 : time;
    }

    /** A worker's state for a health check. */
    public record Status(boolean up, String detail) {
    }
}
