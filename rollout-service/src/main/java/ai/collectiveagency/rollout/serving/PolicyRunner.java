package ai.collectiveagency.rollout.serving;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The one thread that runs the model. Rollout batches, API requests and checkpoint swaps are
 * jobs on one first-come, first-served queue, so they never run at the same time (the model,
 * its KV caches and decode snapshot are not shared between threads), a swap always happens
 * between two jobs, and neither rollout work nor API requests can starve the other: each waits
 * at most for the jobs queued before it.
 *
 * <pre>{@code
 * PolicyRunner runner = new PolicyRunner(new ServedPolicy(Policy.load(dir), 0, "my-model"));
 * List<RolloutGroup> groups = runner.submit(p -> selfPlay(p).rollout(tasks, p.version())).join();
 * }</pre>
 */
public final class PolicyRunner implements AutoCloseable {

    private final ExecutorService worker;
    private final AtomicInteger queued = new AtomicInteger();
    private volatile ServedPolicy current;

    public PolicyRunner(ServedPolicy initial) {
        this.current = Objects.requireNonNull(initial, "initial");
        this.worker = Executors.newSingleThreadExecutor(job -> {
            Thread thread = new Thread(job, "policy-worker");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The policy jobs run with now; the version may change between any two jobs. */
    public ServedPolicy current() {
        return current;
    }

    /** Jobs submitted and not yet finished, the running one included. */
    public int queued() {
        return queued.get();
    }

    /** Runs {@code job} on the worker with the policy current when it starts. */
    public <T> CompletableFuture<T> submit(Function<ServedPolicy, T> job) {
        queued.incrementAndGet();
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return job.apply(current);
                } finally {
                    queued.decrementAndGet();
                }
            }, worker);
        } catch (RuntimeException rejected) {
            queued.decrementAndGet();
            throw rejected;
        }
    }

    /**
     * Replaces the current policy between two jobs: {@code change} runs on the worker, takes the
     * current policy and returns the next (it may close what the old one held that the new one
     * does not share). Jobs submitted after this call see the new policy.
     */
    public CompletableFuture<ServedPolicy> swap(UnaryOperator<ServedPolicy> change) {
        return submit(old -> {
            ServedPolicy next = Objects.requireNonNull(change.apply(old), "next policy");
            current = next;
            return next;
        });
    }

    /** Lets queued jobs finish (for at most {@code seconds}), then closes the policy. */
    public void shutdown(long seconds) throws InterruptedException {
        worker.shutdown();
        if (!worker.awaitTermination(seconds, TimeUnit.SECONDS)) {
            worker.shutdownNow();
        }
        current.policy().close();
    }

    @Override
    public void close() throws InterruptedException {
        shutdown(30);
    }
}
