package ai.collectiveagency.rollout.api;

import ai.collectiveagency.rollout.serving.PolicyRunner;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;

/**
 * The API's meters: {@code rollout.api.requests} (by endpoint and HTTP status, or
 * {@code disconnected}), {@code rollout.api.generated.tokens} (by endpoint),
 * {@code rollout.api.request.duration} (by endpoint, from arrival to the last byte, queue wait
 * included), {@code rollout.api.cancelled} (by reason: disconnected, slow_client, deadline; and
 * stage: queued, running), {@code rollout.api.batches} and {@code rollout.api.batched.requests}
 * (completion requests sampled together in one call) and the gauge
 * {@code rollout.api.queued.requests}.
 */
@ApplicationScoped
public class ApiMetrics {

    private final MeterRegistry registry;
    private final Gauge queued;

    ApiMetrics(MeterRegistry registry, PolicyRunner runner) {
        this.registry = registry;
        this.queued = Gauge.builder("rollout.api.queued.requests", runner,
                r -> r.waiting(PolicyRunner.Lane.API))
                .description("API requests waiting for the policy worker").register(registry);
    }

    void record(String endpoint, String status, long startNanos, int generatedTokens) {
        Counter.builder("rollout.api.requests").description("OpenAI-compatible API requests")
                .tag("endpoint", endpoint).tag("status", status)
                .register(registry).increment();
        Timer.builder("rollout.api.request.duration").description("API request latency")
                .tag("endpoint", endpoint).register(registry)
                .record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        if (generatedTokens > 0) {
            Counter.builder("rollout.api.generated.tokens")
                    .description("Tokens the policy generated for API requests")
                    .tag("endpoint", endpoint).register(registry).increment(generatedTokens);
        }
    }

    /** A request stopped before its answer: its client left, read too slowly, or timed out. */
    void cancelled(ApiCall.Stop reason, boolean running) {
        Counter.builder("rollout.api.cancelled")
                .description("API requests stopped before their answer was complete")
                .tag("reason", reason.tag).tag("stage", running ? "running" : "queued")
                .register(registry).increment();
    }

    /** A batch of {@code requests} compatible completion requests ran as one generate call. */
    void batch(int requests) {
        Counter.builder("rollout.api.batches")
                .description("Generate calls that served queued completion requests together")
                .register(registry).increment();
        Counter.builder("rollout.api.batched.requests")
                .description("Completion requests served by those calls")
                .register(registry).increment(requests);
    }

    // The gauge reads this instance's runner: an application started later in the same JVM
    // (tests) must register its own, not find this one in the global registry.
    @PreDestroy
    void close() {
        registry.remove(queued);
    }
}
