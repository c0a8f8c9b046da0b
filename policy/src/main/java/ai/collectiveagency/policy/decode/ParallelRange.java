package ai.collectiveagency.policy.decode;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Splits an index range [0, count) over a small fixed set of threads: the caller runs the first
 * part, daemon workers the others, and the call returns when all parts are done.
 *
 * <p>A decode step makes ~40 such calls of 0.05-5 ms each, so hand-off latency matters: an
 * executor's park/unpark round trip measured 20-50 µs here. Workers therefore spin briefly
 * ({@value #SPIN_NANOS} ns) for the next part before parking, and the caller spins while waiting
 * for theirs. Calls from several threads are serialised.
 *
 * <p>The range is cut into a few chunks per thread that threads claim as they go, so a thread
 * slowed down by another process's work does not hold the others back.
 *
 * <p>Usage: {@code range.run(rows, 4, (start, end) -> work(start, end));}
 */
public final class ParallelRange {

    /** Work on the indices [start, end). */
    @FunctionalInterface
    public interface Body {
        void run(int start, int end);
    }

    /** System property: threads of the shared range (default: available processors). */
    public static final String THREADS_PROPERTY = "policy.decode.threads";

    private static final long SPIN_NANOS = 200_000;
    private static final int CHUNKS_PER_THREAD = 8;

    private final int threads;
    private final Worker[] workers;
    private final AtomicInteger remaining = new AtomicInteger(); // workers still busy
    private final AtomicInteger nextChunk = new AtomicInteger();
    private volatile Throwable failure;

    /** A range runner with {@code threads} threads in all (the caller counts as one). */
    public ParallelRange(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        this.workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker();
            workers[i].start();
        }
    }

    /** One range shared by all decoders, sized by {@link #THREADS_PROPERTY}. */
    public static ParallelRange shared() {
        return Shared.INSTANCE;
    }

    private static final class Shared { // created on first use
        static final ParallelRange INSTANCE = new ParallelRange(Integer.getInteger(
                THREADS_PROPERTY, Runtime.getRuntime().availableProcessors()));
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs {@code body} over [0, count) in up to {@link #threads()} parts whose boundaries are
     * multiples of {@code grain} (except the end).
     */
    public synchronized void run(int count, int grain, Body body) {
        int grains = (count + grain - 1) / grain;
        int chunks = Math.min(threads * CHUNKS_PER_THREAD, grains);
        if (threads == 1 || chunks <= 1) {
            body.run(0, count);
            return;
        }
        Job job = new Job(body, count, grain, grains, chunks);
        int helpers = Math.min(workers.length, chunks - 1);
        failure = null;
        nextChunk.set(0);
        remaining.set(helpers);
        for (int w = 0; w < helpers; w++) {
            workers[w].submit(job);
        }
        try {
            job.drain();
        } finally {
            awaitWorkers(); // even when this thread's part threw: the job must be over
        }
        Throwable thrown = failure;
        if (thrown instanceof RuntimeException r) {
            throw r;
        }
        if (thrown instanceof Error e) {
            throw e;
        }
    }

    private void awaitWorkers() {
        for (int spins = 0; remaining.get() > 0; spins++) {
            if (spins < 100_000) {
                Thread.onSpinWait();
            } else {
                Thread.yield(); // a worker lost its core (a busy machine)
            }
        }
    }

    /** One call's chunks: chunk c covers grains [c·grains/chunks, (c+1)·grains/chunks). */
    private final class Job {
        private final Body body;
        private final int count;
        private final int grain;
        private final int grains;
        private final int chunks;

        Job(Body body, int count, int grain, int grains, int chunks) {
            this.body = body;
            this.count = count;
            this.grain = grain;
            this.grains = grains;
            this.chunks = chunks;
        }

        /** Runs chunks until none is left. */
        void drain() {
            for (int c = nextChunk.getAndIncrement(); c < chunks;
                    c = nextChunk.getAndIncrement()) {
                body.run(Math.min(count, c * grains / chunks * grain),
                        Math.min(count, (c + 1) * grains / chunks * grain));
            }
        }
    }

    /** A daemon thread that runs one part at a time. */
    private final class Worker extends Thread {

        private volatile int generation; // bumped by the caller for each part
        private volatile boolean parked;
        private Job job; // published by the volatile write of generation

        Worker() {
            super("java-decode");
            setDaemon(true);
        }

        void submit(Job next) {
            job = next;
            generation++; // only the (serialised) caller writes it
            if (parked) {
                LockSupport.unpark(this);
            }
        }

        @Override
        public void run() {
            int seen = 0;
            while (true) {
                seen = await(seen);
                try {
                    job.drain();
                } catch (Throwable t) {
                    failure = t;
                }
                remaining.decrementAndGet();
            }
        }

        /** Spins, then parks, until the generation moves past {@code seen}; returns it. */
        private int await(int seen) {
            long deadline = System.nanoTime() + SPIN_NANOS;
            while (true) {
                int current = generation;
                if (current != seen) {
                    return current;
                }
                if (System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                    continue;
                }
                parked = true;
                if (generation == seen) {
                    LockSupport.park(this);
                }
                parked = false;
                deadline = System.nanoTime() + SPIN_NANOS;
            }
        }
    }
}
