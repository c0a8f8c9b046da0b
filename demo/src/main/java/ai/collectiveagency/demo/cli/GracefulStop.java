package ai.collectiveagency.demo.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C as a request to finish: a shutdown hook that asks the run to stop and then holds the
 * JVM until {@link #close()} says the run's last work (the report) is done, at most
 * {@code bound}: the JVM exits as soon as its hooks return, and the main thread would be cut
 * off mid-write.
 */
final class GracefulStop implements AutoCloseable {

    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook;
    private volatile boolean requested;

    private GracefulStop(Duration bound) {
        this.hook = new Thread(() -> {
            requested = true;
            try {
                done.await(bound.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "demo-graceful-stop");
    }

    static GracefulStop install(Duration bound) {
        GracefulStop stop = new GracefulStop(bound);
        Runtime.getRuntime().addShutdownHook(stop.hook);
        return stop;
    }

    /** Whether the JVM was asked to exit. */
    boolean requested() {
        return requested;
    }

    /** The last work is done: a waiting hook returns, and the hook is no longer needed. */
    @Override
    public void close() {
        done.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException exiting) {
            // Already shutting down: the hook is running and returns now.
        }
    }
}
