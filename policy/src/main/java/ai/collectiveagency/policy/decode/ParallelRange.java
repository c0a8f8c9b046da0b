package ai.collectiveagency.policy.decode;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Splits an index range [0, count) over a small fixed set of threads: the caller runs the first
 * part, daemon workers the others, and the call returns when all parts are done.
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

    private final int threads;
    private final ExecutorService workers; // threads - 1 of them; null for one thread

    /** A range runner with {@code threads} threads in all (the caller counts as one). */
    public ParallelRange(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        this.workers = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "java-decode");
            t.setDaemon(true);
            return t;
        });
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
    public void run(int count, int grain, Body body) {
        int grains = (count + grain - 1) / grain;
        int parts = Math.min(threads, grains);
        if (parts <= 1) {
            body.run(0, count);
            return;
        }
        @SuppressWarnings("unchecked")
        Future<?>[] pending = new Future<?>[parts - 1];
        for (int p = 1; p < parts; p++) {
            int start = Math.min(count, p * grains / parts * grain);
            int end = Math.min(count, (p + 1) * grains / parts * grain);
            pending[p - 1] = workers.submit(() -> body.run(start, end));
        }
        body.run(0, Math.min(count, grains / parts * grain));
        for (Future<?> f : pending) {
            join(f);
        }
    }

    private static void join(Future<?> f) {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while decoding", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(cause);
        }
    }
}
