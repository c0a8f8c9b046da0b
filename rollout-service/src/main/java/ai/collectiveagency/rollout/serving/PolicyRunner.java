package ai.collectiveagency.rollout.serving;

import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The one thread that runs the model. Jobs never run at the same time (the model, its KV caches
 * and decode snapshot are not shared between threads) and wait in one of two lanes:
 * {@link Lane#ROLLOUT} (rollout batches) and {@link Lane#API} (requests to the HTTP API).
 *
 * <p><b>Fair share.</b> When both lanes have work waiting, the worker takes one job from each in
 * turn, so neither can starve the other: the next rollout batch waits at most for the running
 * job and one API request, and an API request at the head of its lane for the running job and
 * one rollout batch. Within a lane, first come, first served. Checkpoint swaps come before both
 * lanes but, like every job, only between two jobs.
 *
 * <p>A job whose future is completed before it starts (cancelled, timed out) leaves its lane and
 * never runs.
 *
 * <pre>{@code
 * PolicyRunner runner = new PolicyRunner(new ServedPolicy(Policy.load(dir), 0, "my-model"));
 * List<RolloutGroup> groups = runner.submit(p -> selfPlay(p).rollout(tasks, p.version())).join();
 * }</pre>
 */
public final class PolicyRunner implements AutoCloseable {

    /** Whose work a job is. */
    public enum Lane {
        /** Rollout batches. */
        ROLLOUT,
        /** Requests to the OpenAI-compatible API. */
        API
    }

    // One "run the next job" task per job submitted: the executor gives the thread and the
    // shutdown semantics; which job runs next is the lanes' choice, not the executor's order.
    private final ExecutorService worker;
    private final Object lock = new Object();
    private final ArrayDeque<Job<?>> swaps = new ArrayDeque<>();
    private final Map<Lane, ArrayDeque<Job<?>>> lanes = new EnumMap<>(Lane.class);
    private Lane lastServed = Lane.API;
    private volatile ServedPolicy current;

    public PolicyRunner(ServedPolicy initial) {
        this.current = Objects.requireNonNull(initial, "initial");
        for (Lane lane : Lane.values()) {
            lanes.put(lane, new ArrayDeque<>());
        }
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

    /** Jobs waiting in {@code lane}, the running one not included. */
    public int waiting(Lane lane) {
        synchronized (lock) {
            return lanes.get(lane).size();
        }
    }

    /** Runs {@code job} in the rollout lane with the policy current when it starts. */
    public <T> CompletableFuture<T> submit(Function<ServedPolicy, T> job) {
        return submit(Lane.ROLLOUT, job);
    }

    /** Runs {@code job} in {@code lane} with the policy current when it starts. */
    public <T> CompletableFuture<T> submit(Lane lane, Function<ServedPolicy, T> job) {
        return enqueue(lanes.get(lane), job, Integer.MAX_VALUE).orElseThrow();
    }

    /**
     * Runs {@code job} in {@code lane} unless {@code maxWaiting} jobs already wait there.
     *
     * @return the job's future, or empty when the lane is full
     */
    public <T> Optional<CompletableFuture<T>> trySubmit(Lane lane, Function<ServedPolicy, T> job,
            int maxWaiting) {
        return enqueue(lanes.get(lane), job, maxWaiting);
    }

    /**
     * Replaces the current policy between two jobs, before any waiting job: {@code change} runs
     * on the worker, takes the current policy and returns the next (it may close what the old
     * one held that the new one does not share). Jobs that start after it see the new policy.
     */
    public CompletableFuture<ServedPolicy> swap(UnaryOperator<ServedPolicy> change) {
        return enqueue(swaps, (ServedPolicy old) -> {
            ServedPolicy next = Objects.requireNonNull(change.apply(old), "next policy");
            current = next;
            return next;
        }, Integer.MAX_VALUE).orElseThrow();
    }

    private <T> Optional<CompletableFuture<T>> enqueue(ArrayDeque<Job<?>> queue,
            Function<ServedPolicy, T> work, int maxWaiting) {
        Job<T> job = new Job<>(work);
        synchronized (lock) {
            if (queue.size() >= maxWaiting) {
                return Optional.empty();
            }
            queue.add(job);
        }
        try {
            worker.execute(this::runNext);
        } catch (RejectedExecutionException shutDown) {
            withdraw(job);
            throw shutDown;
        }
        // Completed from outside before it started (cancelled, timed out): it leaves its lane.
        job.future.whenComplete((result, error) -> {
            if (error != null) {
                withdraw(job);
            }
        });
        return Optional.of(job.future);
    }

    private void withdraw(Job<?> job) {
        synchronized (lock) {
            if (!swaps.remove(job)) {
                lanes.values().forEach(queue -> queue.remove(job));
            }
        }
    }

    private void runNext() {
        Job<?> job;
        synchronized (lock) {
            job = next();
        }
        if (job != null) { // null: its job was withdrawn
            job.run(current);
        }
    }

    /** Swaps first; then the lanes in turn when both wait, else whichever has work. */
    private Job<?> next() {
        if (!swaps.isEmpty()) {
            return swaps.poll();
        }
        Lane other = lastServed == Lane.ROLLOUT ? Lane.API : Lane.ROLLOUT;
        Lane lane = !lanes.get(other).isEmpty() ? other : lastServed;
        Job<?> job = lanes.get(lane).poll();
        if (job != null) {
            lastServed = lane;
        }
        return job;
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

    /** A job and its future; runs at most once, and not at all once its future is done. */
    private static final class Job<T> {
        private final Function<ServedPolicy, T> work;
        private final CompletableFuture<T> future = new CompletableFuture<>();

        Job(Function<ServedPolicy, T> work) {
            this.work = work;
        }

        void run(ServedPolicy policy) {
            if (future.isDone()) {
                return;
            }
            try {
                future.complete(work.apply(policy));
            } catch (Throwable e) {
                future.completeExceptionally(e);
            }
        }
    }
}
