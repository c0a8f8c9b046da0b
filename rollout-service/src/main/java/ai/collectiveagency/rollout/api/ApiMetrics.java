package ai.collectiveagency.rollout.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;

/**
 * The API's meters: {@code rollout.api.requests} (by endpoint and HTTP status),
 * {@code rollout.api.generated.tokens} (by endpoint) and {@code rollout.api.request.duration}
 * (by endpoint, from arrival to the response, queueing behind rollout batches included).
 */
@ApplicationScoped
public class ApiMetrics {

    private final MeterRegistry registry;

    ApiMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(String endpoint, int status, long startNanos, int generatedTokens) {
        Counter.builder("rollout.api.requests").description("OpenAI-compatible API requests")
                .tag("endpoint", endpoint).tag("status", Integer.toString(status))
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
}
