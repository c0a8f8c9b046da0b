package ai.collectiveagency.rollout.api;

import ai.collectiveagency.policy.sampling.GenerationCancelledException;
import ai.collectiveagency.rollout.serving.PolicyRunner;
import ai.collectiveagency.rollout.serving.ServedPolicy;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What both generating endpoints share: the model check, the limits, and the job on the
 * {@link PolicyRunner}'s API lane. The lane holds at most {@code rollout.api.max-queued} waiting
 * requests (one more is a 429 with {@code Retry-After}); a request's deadline is
 * {@code rollout.api.timeout} after its arrival, queue wait included; a client that goes away
 * takes its job out of the lane, or stops it at the next token. Counts what it stops.
 */
@ApplicationScoped
public class GenerationService {

    private final PolicyRunner runner;
    private final ApiConfig config;
    private final ApiMetrics metrics;
    private final ObjectMapper mapper;
    // Mean time of an API job on the worker (an exponential average): the Retry-After hint.
    private final AtomicLong meanJobNanos = new AtomicLong(TimeUnit.SECONDS.toNanos(1));

    GenerationService(PolicyRunner runner, ApiConfig config, ApiMetrics metrics,
            ObjectMapper mapper) {
        this.runner = runner;
        this.config = config;
        this.metrics = metrics;
        this.mapper = mapper;
    }

    /** A 404 unless {@code model} is null or the served model's name. */
    void requireServed(String model) {
        String served = runner.current().modelName();
        if (model != null && !model.equals(served)) {
            throw ApiException.modelNotFound(model, served);
        }
    }

    ServedPolicy current() {
        return runner.current();
    }

    /** This server's limits for the next request (the context of the model served now). */
    RequestChecks.Limits limits() {
        return RequestChecks.Limits.of(config,
                runner.current().policy().model().config().maxPositions());
    }

    /**
     * Queues {@code job} for the request of {@code ctx}, which is answered when it is done (or,
     * streamed, as it goes).
     *
     * @throws ApiException 429 when the API lane is full
     */
    void generate(RoutingContext ctx, GenerationJob job, Rendering rendering) {
        long arrival = ctx.get(Responses.ARRIVAL);
        ApiCall call = new ApiCall(arrival, config.timeout().toNanos());
        Exchange exchange = new Exchange(ctx, mapper, rendering, job, call, config.timeout());
        CompletableFuture<Sampled> sampled = submit(job, call, job.live() ? exchange : null);
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
     * client leaving); a live stream's tokens go to {@code listener} (null: none).
     *
     * @return the answer; it fails with a {@link TimeoutException} at the deadline, and is
     *     cancelled by a client that leaves
     * @throws ApiException 429 when the API lane is full
     */
    CompletableFuture<Sampled> submit(GenerationJob job, ApiCall call, StreamListener listener) {
        CompletableFuture<Sampled> sampled = runner.trySubmit(PolicyRunner.Lane.API,
                served -> run(served, job, call, listener), config.maxQueued())
                .orElseThrow(() -> ApiException.queueFull(config.maxQueued(), retryAfter()));
        sampled.whenComplete((answer, error) -> {
            if (error != null && !call.started() && stoppedWaiting(error)
                    && call.firstToCount()) {
                metrics.cancelled(call.stop(), false);
            }
        });
        return sampled.orTimeout(Math.max(0, call.remainingNanos()), TimeUnit.NANOSECONDS);
    }

    private Sampled run(ServedPolicy served, GenerationJob job, ApiCall call,
            StreamListener listener) {
        call.start();
        long start = System.nanoTime();
        try {
            return Sampler.sample(served, job, config.defaultMaxTokens(), call, listener);
        } catch (GenerationCancelledException e) {
            if (call.firstToCount()) {
                metrics.cancelled(call.stop(), true);
            }
            throw e;
        } finally {
            long took = System.nanoTime() - start;
            meanJobNanos.getAndUpdate(mean -> mean + (took - mean) / 5);
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
