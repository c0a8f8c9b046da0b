package ai.collectiveagency.rollout.api;

import ai.collectiveagency.policy.sampling.GenerationObserver;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One API request's claim on the policy worker: its deadline ({@code rollout.api.timeout} from
 * its arrival) and whether its client still wants the answer. As a {@link GenerationObserver} it
 * stops the generation at the next token once either ends. Thread-safe.
 */
final class ApiCall implements GenerationObserver {

    /** Why a call ended before its answer was sent. */
    enum Stop {
        /** The client closed the connection. */
        DISCONNECTED("disconnected"),
        /** The client did not read a stream fast enough (see {@code Exchange}). */
        SLOW_CLIENT("slow_client"),
        /** The deadline passed. */
        DEADLINE("deadline");

        final String tag;

        Stop(String tag) {
            this.tag = tag;
        }
    }

    private final long deadlineNanos;
    private final AtomicBoolean counted = new AtomicBoolean();
    private volatile Stop stop;
    private volatile boolean started;

    ApiCall(long arrivalNanos, long timeoutNanos) {
        this.deadlineNanos = arrivalNanos + timeoutNanos;
    }

    /** Nanoseconds left until the deadline (negative once it passed). */
    long remainingNanos() {
        return deadlineNanos - System.nanoTime();
    }

    /** The client is gone, or cannot keep up: the job is to stop. */
    void abandon(Stop why) {
        if (stop == null) {
            stop = why;
        }
    }

    /** Marks that the worker took the job. */
    void start() {
        started = true;
    }

    boolean started() {
        return started;
    }

    /** Why the call stopped; {@link Stop#DEADLINE} when nothing else stopped it. */
    Stop stop() {
        Stop why = stop;
        return why != null ? why : Stop.DEADLINE;
    }

    /** True once, for the first caller: so a stopped call is counted once. */
    boolean firstToCount() {
        return counted.compareAndSet(false, true);
    }

    @Override
    public boolean cancelled() {
        return stop != null || remainingNanos() <= 0;
    }
}
