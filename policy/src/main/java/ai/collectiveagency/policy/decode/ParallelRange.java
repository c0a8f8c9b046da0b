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
 * slowed down by another process's work does not hold the others back. A worker that has not
 * started on a call when the caller has claimed the last chunk is not waited for: it joins a
 * call only while the call is open, and the caller waits only for workers inside it. On a busy
 * machine a descheduled worker would otherwise cost every call a scheduler time slice (measured
 * ~0.5 ms per call, 20 ms per decode step, with the load at 4x the cores); now the caller does its
 * part and the call ends.
 *
 * <p>A worker that loses its core inside a chunk must still be waited for. A wait far longer
 * than the chunks took the caller is such a stall (a scheduler time slice, not an uneven split);
 * two within {@value #ALONE_NANOS} ns say the machine has more runnable threads than cores, where
 * a second thread costs more than it gives (measured on 2 busy cores: 9.5-12 ms per batch-1
 * decode step alone, 13-30 ms with a worker). The caller then runs calls alone for
 * {@value #ALONE_NANOS} ns before trying the workers again. On a machine with free cores stalls
 * are rare and every call is split.
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
    /** A wait for a worker at least this long is a lost core, whatever the chunk size. */
    private static final long STALL_NANOS = 1_000_000;
    private static final long ALONE_NANOS = 100_000_000;

    private final int threads;
    private final Worker[] workers;
    private long aloneUntil = System.nanoTime(); // calls before then run on the caller alone
    private long lastStall = aloneUntil - 2 * ALONE_NANOS; // when a worker last stalled a call

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
        if (threads == 1 || chunks <= 1 || System.nanoTime() - aloneUntil < 0) {
            body.run(0, count);
            return;
        }
        Job job = new Job(body, count, grain, grains, chunks);
        int helpers = Math.min(workers.length, chunks - 1);
        for (int w = 0; w < helpers; w++) {
            workers[w].submit(job);
        }
        long start = System.nanoTime();
        int mine = job.drain();
        long drained = System.nanoTime();
        job.close(); // waits for the workers inside it; later ones find it closed
        long waited = System.nanoTime() - drained;
        if (waited > STALL_NANOS && waited > 2 * (drained - start) / Math.max(1, mine)) {
            long now = drained + waited;
            if (now - lastStall < ALONE_NANOS) {
                aloneUntil = now + ALONE_NANOS;
            }
            lastStall = now;
        }
        Throwable thrown = job.failure;
        if (thrown instanceof RuntimeException r) {
            throw r;
        }
        if (thrown instanceof Error e) {
            throw e;
        }
    }

    /**
     * One call's chunks: chunk c covers grains [c·grains/chunks, (c+1)·grains/chunks). Workers
     * enter it while it is open and leave when no chunk is left; the caller closes it once it
     * has claimed the last chunk and waits for those inside.
     */
    private static final class Job {
        private static final int CLOSED = Integer.MIN_VALUE; // added to inside by close()

        /**
         * Cleared by {@link #close()}: an idle worker keeps its last call, and the body may hold
         * a decoder's weights or other large arrays that would otherwise outlive their use.
         */
        private Body body;
        private final int count;
        private final int grain;
        private final int grains;
        private final int chunks;
        private final AtomicInteger nextChunk = new AtomicInteger();
        private final AtomicInteger inside = new AtomicInteger(); // workers in drain, + CLOSED
        private volatile Throwable failure;

        Job(Body body, int count, int grain, int grains, int chunks) {
            this.body = body;
            this.count = count;
            this.grain = grain;
            this.grains = grains;
            this.chunks = chunks;
        }

        /**
         * Runs chunks until none is left and returns how many; a failure is kept and ends the
         * others' claims.
         */
        int drain() {
            int ran = 0;
            try {
                for (int c = nextChunk.getAndIncrement(); c < chunks;
                        c = nextChunk.getAndIncrement()) {
                    body.run(Math.min(count, c * grains / chunks * grain),
                            Math.min(count, (c + 1) * grains / chunks * grain));
                    ran++;
                }
            } catch (Throwable t) {
                if (failure == null) {
                    failure = t;
                }
                nextChunk.set(chunks);
            }
            return ran;
        }

        /** A worker's drain, if the call is still open. */
        void join() {
            for (int now = inside.get(); now >= 0; now = inside.get()) {
                if (inside.compareAndSet(now, now + 1)) {
                    try {
                        drain();
                    } finally {
                        inside.decrementAndGet();
                    }
                    return;
                }
            }
        }

        /** Closes the call to late workers and waits for those inside to finish. */
        void close() {
            inside.addAndGet(CLOSED);
            for (int spins = 0; inside.get() != CLOSED; spins++) {
                if (spins < 100_000) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield(); // a worker lost its core inside a chunk (a busy machine)
                }
            }
            body = null; // no worker enters a closed call
        }
    }

    /** A daemon thread that joins the calls submitted to it. */
    private static final class Worker extends Thread {

        private volatile Job job; // the latest call submitted
        private volatile boolean parked;

        Worker() {
            super("java-decode");
            setDaemon(true);
        }

        void submit(Job next) {
            job = next;
            if (parked) {
                LockSupport.unpark(this);
            }
        }

        @Override
        public void run() {
            Job seen = null;
            while (true) {
                seen = await(seen);
                seen.join();
            }
        }

        /** Spins, then parks, until a call other than {@code seen} is submitted; returns it. */
        private Job await(Job seen) {
            long deadline = System.nanoTime() + SPIN_NANOS;
            while (true) {
                Job current = job;
                if (current != seen) {
                    return current;
                }
                if (System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                    continue;
                }
                parked = true;
                if (job == seen) {
                    LockSupport.park(this);
                }
                parked = false;
                deadline = System.nanoTime() + SPIN_NANOS;
            }
        }
    }
}
