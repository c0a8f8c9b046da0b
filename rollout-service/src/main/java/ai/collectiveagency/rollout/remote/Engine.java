package ai.collectiveagency.rollout.remote;

import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One inference engine: its base URL (the part before {@code /v1/...}), the requests this replica
 * has in flight on it, and the adapters it is known to hold. What it holds is learned from this
 * replica's own loads, and forgotten when the engine says it does not know a model (it restarted).
 */
final class Engine {

    private final URI baseUri;
    private final AtomicInteger outstanding = new AtomicInteger();
    private final Set<String> adapters = ConcurrentHashMap.newKeySet();
    /** How long an engine that failed a request is passed over while others are healthy. */
    static final Duration COOL_DOWN = Duration.ofSeconds(5);
    private volatile long coolingUntil = System.nanoTime();

    Engine(URI baseUri) {
        this.baseUri = baseUri;
    }

    URI baseUri() {
        return baseUri;
    }

    /** {@code path} under the base URL, e.g. {@code v1/completions}. */
    URI resolve(String path) {
        String base = baseUri.toString();
        return URI.create(base.endsWith("/") ? base + path : base + "/" + path);
    }

    int outstanding() {
        return outstanding.get();
    }

    void started() {
        outstanding.incrementAndGet();
    }

    void finished() {
        outstanding.decrementAndGet();
    }

    /** After a failed request: other engines are preferred for {@link #COOL_DOWN}. */
    void coolDown() {
        coolingUntil = System.nanoTime() + COOL_DOWN.toNanos();
    }

    /** Whether it failed a request less than {@link #COOL_DOWN} ago. */
    boolean cooling() {
        return System.nanoTime() - coolingUntil < 0;
    }

    boolean holds(String adapter) {
        return adapters.contains(adapter);
    }

    void loaded(String adapter) {
        adapters.add(adapter);
    }

    void forget(String adapter) {
        adapters.remove(adapter);
    }

    @Override
    public String toString() {
        return baseUri.toString();
    }
}
