package ai.collectiveagency.rollout.api;

import ai.collectiveagency.policy.model.LinearAdapter;
import ai.collectiveagency.policy.model.Llama;
import ai.collectiveagency.policy.sampling.GenerationCancelledException;
import ai.collectiveagency.policy.sampling.GenerationObserver;
import ai.collectiveagency.rollout.remote.RemoteEngines;
import ai.collectiveagency.rollout.serving.PolicyRunner;
import ai.collectiveagency.rollout.serving.ServedPolicy;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What both generating endpoints share: the model check, the limits, and the job on the
 * {@link PolicyRunner}'s API lane. The lane holds at most {@code rollout.api.max-queued} waiting
 * requests (one more is a 429 with {@code Retry-After}); a request's deadline is
 * {@code rollout.api.timeout} after its arrival, queue wait included; a client that goes away
 * takes its job out of the lane, or stops it at the next token. Counts what it stops. Compatible
 * non-streaming completion requests that wait together are sampled in one batched call
 * ({@link GenerationJob#batchKey()}); a request naming a runtime LoRA adapter is generated with
 * it ({@link RuntimeAdapters}), the served policy's own adapter restored after. An
 * asynchronous-reasoning request ({@link ReasoningJob}) takes the same lane, alone, and is run
 * by {@link AsyncReasoning}.
 */
@ApplicationScoped
public class GenerationService {

    private final PolicyRunner runner;
    private final ApiConfig config;
    private final ApiMetrics metrics;
    private final ObjectMapper mapper;
    private final RuntimeAdapters adapters;
    private final AsyncReasoning reasoning;
    private final boolean remoteGeneration;
    // Mean time of an API job on the worker (an exponential average): the Retry-After hint.
    private final AtomicLong meanJobNanos = new AtomicLong(TimeUnit.SECONDS.toNanos(1));
    // The batch still open for each compatibility key: requests join it until the worker
    // starts it.
    private final Map<GenerationJob.BatchKey, PendingBatch> open = new HashMap<>();

    GenerationService(PolicyRunner runner, ApiConfig config, ApiMetrics metrics,
            ObjectMapper mapper, RuntimeAdapters adapters, AsyncReasoning reasoning,
            RemoteEngines remote) {
        this.reasoning = reasoning;
        this.runner = runner;
        this.remoteGeneration = remote.enabled();
        this.config = config;
        this.metrics = metrics;
        this.mapper = mapper;
        this.adapters = adapters;
    }

    /**
     * The runtime adapter {@code model} names, null when it is null or the served model's
     * name; else a 404.
     */
    String adapterOf(String model) {
        if (remoteGeneration) {
            throw ApiException.generationRemote();
        }
        String served = runner.current().modelName();
        if (model == null || model.equals(served)) {
            return null;
        }
        if (adapters.has(model)) {
            return model;
        }
        throw ApiException.modelNotFound(model, served);
    }

    /** A 404 unless {@code model} is null, the served model's name or a runtime adapter's. */
    void requireServed(String model) {
        adapterOf(model);
    }

    ServedPolicy current() {
        return runner.current();
    }

    /** This server's limits for the next request (the model served now). */
    RequestChecks.Limits limits() {
        var model = runner.current().policy().model().config();
        return RequestChecks.Limits.of(config, model.maxPositions(), model.vocabSize());
    }

    /**
     * Queues {@code job} for the request of {@code ctx}, which is answered when it is done (or,
     * streamed, as it goes).
     *
     * @throws ApiException 429 when the API lane is full
     */
    void generate(RoutingContext ctx, GenerationJob job, Rendering rendering) {
        answer(ctx, job.stream(), rendering,
                (call, exchange) -> submit(job, call, job.live() ? exchange : null));
    }

    /**
     * Queues an asynchronous-reasoning {@code job} for the request of {@code ctx}, alone in
     * the API lane (its two streams are one run), answered as {@link #generate} answers.
     *
     * @throws ApiException 429 when the API lane is full
     */
    void reason(RoutingContext ctx, ReasoningJob job, Rendering rendering) {
        answer(ctx, job.stream(), rendering, (call, exchange) -> watched(alone(job.adapter(),
                call, served -> reasoning.run(served, job, call, job.stream() ? exchange : null)),
                call, null));
    }

    /** Queues what {@code submit} queues, the request's {@link Exchange} answering it. */
    private void answer(RoutingContext ctx, boolean stream, Rendering rendering,
            BiFunction<ApiCall, Exchange, CompletableFuture<Sampled>> submit) {
        long arrival = ctx.get(Responses.ARRIVAL);
        ApiCall call = new ApiCall(arrival, config.timeout().toNanos());
        Exchange exchange = new Exchange(ctx, mapper, rendering, stream, call, config.timeout());
        CompletableFuture<Sampled> sampled = submit.apply(call, exchange);
        ctx.addEndHandler(done -> {
            if (done.failed()) { // the connection closed before the answer ended
                call.abandon(ApiCall.Stop.DISCONNECTED);
                sampled.cancel(false);
            }
        });
        sampled.whenComplete(exchange::completed);
    }

    /**
     * Queues {@code job} in the API lane, to be stopped by {@code call} (its deadline, its
     * client leaving); a live stream's tokens go to {@code listener} (null: none). A job with a
     * {@link GenerationJob#batchKey()} joins the waiting batch of its key, if there is one with
     * room ({@code rollout.api.max-batch-sequences}), else opens one: a batch takes one place
     * in the lane and is sampled in one call when the worker takes it.
     *
     * @return the answer; it fails with a {@link TimeoutException} at the deadline, and is
     *     cancelled by a client that leaves
     * @throws ApiException 429 when the API lane is full; 404 for an adapter that is gone
     */
    CompletableFuture<Sampled> submit(GenerationJob job, ApiCall call, StreamListener listener) {
        GenerationJob.BatchKey key = listener == null && config.maxBatchSequences() > 1
                ? job.batchKey() : null;
        Member member = key == null ? null : batched(key, job, call);
        CompletableFuture<Sampled> sampled = member == null ? alone(job.adapter(), call,
                served -> Sampler.sample(served, job, config.defaultMaxTokens(), call, listener))
                : member.answer;
        return watched(sampled, call, member);
    }

    /**
     * {@code sampled} with the deadline of {@code call}; a call stopped while it waited is
     * counted, a batch member's leaving reported to its batch.
     */
    private CompletableFuture<Sampled> watched(CompletableFuture<Sampled> sampled, ApiCall call,
            Member member) {
        sampled.whenComplete((answer, error) -> {
            if (error != null && member != null) {
                member.batch.memberLeft(); // before it is counted: the lane is clean by then
            }
            if (error != null && !call.started() && stoppedWaiting(error)
                    && call.firstToCount()) {
                metrics.cancelled(call.stop(), false);
            }
        });
        return sampled.orTimeout(Math.max(0, call.remainingNanos()), TimeUnit.NANOSECONDS);
    }

    /** Requests of the batch now waiting for {@code key}'s settings (0: none); for tests. */
    int waitingInBatch(GenerationJob.BatchKey key) {
        synchronized (open) {
            PendingBatch batch = open.get(key);
            return batch == null ? 0 : batch.members.size();
        }
    }

    /** {@code work} queued alone in the API lane, with the adapter {@code adapter} (or none). */
    private CompletableFuture<Sampled> alone(String adapter, ApiCall call,
            Function<ServedPolicy, Sampled> work) {
        RuntimeAdapters.Lease lease = adapters.lease(adapter);
        CompletableFuture<Sampled> sampled;
        try {
            sampled = runner.trySubmit(PolicyRunner.Lane.API,
                    served -> runAlone(served, call, lease, work), config.maxQueued())
                    .orElseThrow(() -> ApiException.queueFull(config.maxQueued(), retryAfter()));
        } catch (RuntimeException e) {
            lease.abandon();
            throw e;
        }
        sampled.whenComplete((answer, error) -> lease.abandon()); // left before it ran
        return sampled;
    }

    private Sampled runAlone(ServedPolicy served, ApiCall call, RuntimeAdapters.Lease lease,
            Function<ServedPolicy, Sampled> work) {
        if (!lease.begin()) {
            throw new CancellationException("left the lane");
        }
        call.start();
        long start = System.nanoTime();
        try {
            return withAdapter(served, lease, () -> work.apply(served));
        } catch (GenerationCancelledException e) {
            if (call.firstToCount()) {
                metrics.cancelled(call.stop(), true);
            }
            throw e;
        } finally {
            lease.end();
            took(start);
        }
    }

    /** Adds the job to the open batch of its key, or to a new one. */
    private Member batched(GenerationJob.BatchKey key, GenerationJob job, ApiCall call) {
        synchronized (open) {
            PendingBatch batch = open.get(key);
            if (batch == null || batch.sequences + job.choices() > config.maxBatchSequences()) {
                batch = openBatch(key);
            }
            Member member = new Member(job, call, batch);
            batch.members.add(member);
            batch.lastJoinedAt = System.nanoTime();
            batch.sequences += job.choices();
            return member;
        }
    }

    /** A new batch for {@code key}, queued in the API lane; the caller holds {@code open}. */
    private PendingBatch openBatch(GenerationJob.BatchKey key) {
        RuntimeAdapters.Lease lease = adapters.lease(key.adapter());
        PendingBatch batch = new PendingBatch(key, lease);
        try {
            batch.queued = runner.trySubmit(PolicyRunner.Lane.API,
                    served -> runBatch(served, batch), config.maxQueued())
                    .orElseThrow(() -> ApiException.queueFull(config.maxQueued(), retryAfter()));
        } catch (RuntimeException e) {
            lease.abandon();
            throw e;
        }
        batch.queued.whenComplete((done, error) -> {
            lease.abandon(); // withdrawn before it ran
            synchronized (open) {
                open.remove(key, batch);
            }
        });
        open.put(key, batch);
        return batch;
    }

    private Void runBatch(ServedPolicy served, PendingBatch batch) {
        batch.awaitWindow(); // only when the worker was idle: a queued batch is older already
        List<Member> members;
        synchronized (open) {
            batch.sealed = true;
            open.remove(batch.key, batch);
            members = batch.members.stream().filter(m -> !m.answer.isDone()).toList();
        }
        if (members.isEmpty() || !batch.lease.begin()) {
            batch.lease.end();
            return null;
        }
        long start = System.nanoTime();
        members.forEach(m -> m.call.start());
        if (members.size() > 1) {
            metrics.batch(members.size());
        }
        try {
            List<Sampler.Outcome> outcomes = withAdapter(served, batch.lease,
                    () -> Sampler.sampleAll(served, members.stream().map(m -> m.job).toList(),
                            members.stream().map(m -> m.call).toList(),
                            config.defaultMaxTokens(), new GenerationObserver() {
                                @Override
                                public boolean cancelled() {
                                    return members.stream().allMatch(m -> m.call.cancelled());
                                }
                            }));
            for (int i = 0; i < members.size(); i++) {
                Sampler.Outcome outcome = outcomes.get(i);
                if (outcome.error() != null) {
                    fail(members.get(i), outcome.error());
                } else {
                    members.get(i).answer.complete(outcome.sampled());
                }
            }
        } catch (RuntimeException e) {
            members.forEach(m -> fail(m, e));
        } finally {
            batch.lease.end();
            took(start);
        }
        return null;
    }

    private void fail(Member member, RuntimeException error) {
        if (error instanceof GenerationCancelledException && member.call.firstToCount()) {
            metrics.cancelled(member.call.stop(), true);
        }
        member.answer.completeExceptionally(error);
    }

    private <T> T withAdapter(ServedPolicy served, RuntimeAdapters.Lease lease,
            Supplier<T> work) {
        if (lease.adapter() == null) {
            return work.get();
        }
        Llama model = served.policy().model();
        if (model != lease.model()) { // a FULL checkpoint replaced the base the adapter is for
            throw new ApiException(409, "invalid_request_error", "The LoRA adapter was loaded "
                    + "for a base model this server no longer serves; unload and load it again",
                    "model", "adapter_stale");
        }
        LinearAdapter served0 = model.adapter();
        model.setAdapter(lease.adapter());
        try {
            return work.get();
        } finally {
            model.setAdapter(served0); // the served policy's own (an adopted checkpoint's)
        }
    }

    private void took(long start) {
        long took = System.nanoTime() - start;
        meanJobNanos.getAndUpdate(mean -> mean + (took - mean) / 5);
    }

    /** One request in a batch: its job, its call, its own answer and its batch. */
    private static final class Member {
        final GenerationJob job;
        final ApiCall call;
        final PendingBatch batch;
        final CompletableFuture<Sampled> answer = new CompletableFuture<>();

        Member(GenerationJob job, ApiCall call, PendingBatch batch) {
            this.job = job;
            this.call = call;
            this.batch = batch;
        }
    }

    /**
     * Compatible requests that wait in the lane as one job, open to more until the worker
     * takes it (then sealed). A member that leaves before is dropped; when all have left, the
     * job leaves the lane.
     */
    private final class PendingBatch {
        final GenerationJob.BatchKey key;
        final RuntimeAdapters.Lease lease;
        final List<Member> members = new ArrayList<>();
        final long openedAt = System.nanoTime();
        volatile long lastJoinedAt = openedAt;
        int sequences;
        boolean sealed;
        CompletableFuture<Void> queued;

        PendingBatch(GenerationJob.BatchKey key, RuntimeAdapters.Lease lease) {
            this.key = key;
            this.lease = lease;
        }

        /**
         * Waits until the batch window since its first request has passed, or until no request
         * joined for a fifth of it (the burst is over); at once when either holds already.
         */
        void awaitWindow() {
            long window = config.batchWindow().toNanos();
            long quiet = window / 5;
            while (true) {
                long now = System.nanoTime();
                if (now - openedAt >= window || now - lastJoinedAt >= quiet) {
                    return;
                }
                LockSupport.parkNanos(Math.min(quiet - (now - lastJoinedAt),
                        window - (now - openedAt)));
            }
        }

        void memberLeft() {
            synchronized (open) {
                if (sealed || !members.stream().allMatch(m -> m.answer.isDone())) {
                    return;
                }
                sealed = true;
                open.remove(key, this);
            }
            queued.cancel(false); // nobody waits for it: it leaves the lane
        }
    }

    /** Seconds until a waiting slot is likely free: about one API job's time, 1 to 60. */
    private long retryAfter() {
        long seconds = (meanJobNanos.get() + TimeUnit.SECONDS.toNanos(1) - 1)
                / TimeUnit.SECONDS.toNanos(1);
        return Math.max(1, Math.min(60, seconds));
    }

    /** The job's own future fails with the bare exception: nothing wraps it. */
    private static boolean stoppedWaiting(Throwable error) {
        return error instanceof TimeoutException || error instanceof CancellationException;
    }
}
