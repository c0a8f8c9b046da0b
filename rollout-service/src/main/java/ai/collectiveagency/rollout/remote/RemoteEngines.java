package ai.collectiveagency.rollout.remote;

import ai.collectiveagency.policy.sampling.Generation;
import ai.collectiveagency.rollout.config.RolloutConfig;
import ai.collectiveagency.rollout.config.RolloutConfigChecks;
import ai.collectiveagency.selfplay.GenerationEngine;
import ai.collectiveagency.selfplay.ModelName;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.faulttolerance.api.TypedGuard;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Remote generation ({@code rollout.generation=remote}): the engines at
 * {@code rollout.remote.urls}, the adapters they hold for each policy version
 * ({@link EngineAdapters}) and the {@link GenerationEngine} a rollout batch samples with. With
 * {@code local} generation it makes nothing (no client, no threads) and {@link #enabled} is false.
 */
@Singleton
public class RemoteEngines implements AutoCloseable {

    private final boolean enabled;
    private final EngineFleet fleet;
    private final EngineHttp http;
    private final EngineAdapters adapters;
    private final TypedGuard<Generation> guard;
    private final ExecutorService requests;

    /** The engines' settings, {@code rollout.remote.*} resolved. */
    public record Settings(List<URI> urls, Optional<String> apiKey, String baseModel,
            Duration timeout, int maxRetries, Duration retryDelay, int maxConcurrency,
            Duration resolveInterval) {

        /** From the service's settings, checked ({@link RolloutConfigChecks}). */
        public static Settings of(RolloutConfig config) {
            RolloutConfigChecks.requireValid(config);
            RolloutConfig.Remote remote = config.remote();
            return new Settings(remote.urls().orElseThrow().stream().filter(url -> !url.isBlank())
                    .map(String::strip).map(URI::create).toList(), remote.apiKey(),
                    remote.modelName().or(config::modelName)
                            .orElseGet(() -> ModelName.of(config.model())),
                    remote.timeout(), remote.maxRetries(), remote.retryDelay(),
                    remote.maxConcurrency(), remote.resolveInterval());
        }

        /** The settings with the key hidden. */
        @Override
        public String toString() {
            return "Settings[urls=" + urls + ", apiKey=" + (apiKey.isPresent() ? "[hidden]"
                    : "none") + ", baseModel=" + baseModel + ", timeout=" + timeout
                    + ", maxRetries=" + maxRetries + ", retryDelay=" + retryDelay
                    + ", maxConcurrency=" + maxConcurrency + ", resolveInterval="
                    + resolveInterval + "]";
        }
    }

    @Inject
    RemoteEngines(RolloutConfig config, ObjectMapper mapper) {
        this(config.generation() == RolloutConfig.Generation.REMOTE
                ? Settings.of(config) : null, mapper);
    }

    /** Remote generation with {@code settings}; null: none (local generation). */
    public RemoteEngines(Settings settings, ObjectMapper mapper) {
        this.enabled = settings != null;
        if (!enabled) {
            fleet = null;
            http = null;
            adapters = null;
            guard = null;
            requests = null;
            return;
        }
        this.fleet = new EngineFleet(settings.urls(), settings.resolveInterval());
        this.http = new EngineHttp(mapper, settings.apiKey(), settings.timeout());
        this.adapters = new EngineAdapters(settings.baseModel(), fleet, http);
        this.guard = guard(settings);
        AtomicInteger threads = new AtomicInteger();
        this.requests = Executors.newFixedThreadPool(settings.maxConcurrency(), task -> {
            Thread thread = new Thread(task, "engine-request-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    private static TypedGuard<Generation> guard(Settings remote) {
        return TypedGuard.create(Generation.class)
                .withDescription("rollout.remote")
                .withRetry()
                    .maxRetries(remote.maxRetries())
                    .delay(remote.retryDelay().toMillis(), ChronoUnit.MILLIS)
                    .jitter(0, ChronoUnit.MILLIS)
                    .maxDuration(0, ChronoUnit.MILLIS)
                    .whenException(failure -> failure instanceof EngineCallException call
                            && call.retryable())
                    .withExponentialBackoff().factor(2).done()
                    .done()
                .build();
    }

    /** Whether rollouts are sampled on remote engines. */
    public boolean enabled() {
        return enabled;
    }

    /**
     * Holds the model of {@code version} on the engines until closed; a batch samples with
     * {@link #engine} of its model meanwhile.
     */
    public EngineAdapters.Lease lease(long version) {
        return requireEnabled().lease(version);
    }

    /** Sampling on the engines from {@code model}, stopping at {@code stopTokenIds}. */
    public GenerationEngine engine(EngineAdapters.Lease lease, Set<Integer> stopTokenIds) {
        requireEnabled();
        return new RemoteGeneration(lease.model(), fleet, http, adapters, guard, requests,
                stopTokenIds);
    }

    /**
     * Loads the adapter in {@code folder} as the model of {@code version} on every engine
     * (the shared store's path, which the engines see as this replica does).
     *
     * @param manifestSha256 the digest of the folder's manifest (its signed record's), which
     *     the adapter's name carries
     * @throws RemoteEngineException when no engine loaded it
     */
    public void load(long version, Path folder, String manifestSha256) {
        requireEnabled().load(version, folder, manifestSha256);
    }

    /**
     * Makes {@code version} the model new batches lease; adapters served long enough ago are
     * unloaded once the batches that hold them are done. Call it where no batch starts in
     * between (the policy worker's swap).
     */
    public void serve(long version) {
        requireEnabled().serve(version);
    }

    /** The name requests for the newest adopted version carry. */
    public String currentModel() {
        return requireEnabled().current();
    }

    private EngineAdapters requireEnabled() {
        if (!enabled) {
            throw new IllegalStateException("rollout.generation is local");
        }
        return adapters;
    }

    @PreDestroy
    @Override
    public void close() {
        if (requests != null) {
            requests.shutdownNow();
        }
    }
}
