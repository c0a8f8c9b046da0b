package ai.collectiveagency.llm;

import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The settings of one OpenAI-compatible chat endpoint as a SmallRye config group: where it is
 * ({@code base-url}, {@code model}), its key ({@code api-key}, {@code allow-insecure}) and the
 * {@link ChatGuard} around it ({@code timeout}, {@code max-retries}, {@code retry-delay},
 * {@code circuit-window}, {@code circuit-failure-ratio}, {@code circuit-delay}). A service's
 * settings for an LLM endpoint extend it, so every service names them alike with the same
 * defaults, and checks them the same way at start-up. Neither this group nor its generated
 * implementation prints the key: do not declare {@code toString()} here (SmallRye would then
 * print every value).
 */
public interface ChatGuardConfig {

    /** API root of an OpenAI-compatible endpoint, e.g. {@code http://localhost:8000/v1}. */
    Optional<URI> baseUrl();

    /** Model name sent with each request. */
    Optional<String> model();

    /**
     * Bearer token; set it through the environment (the key upper-cased, e.g.
     * {@code REWARD_JUDGE_API_KEY}), never on a command line.
     */
    Optional<String> apiKey();

    /**
     * Allows sending {@code api-key} over plain {@code http} to a host other than loopback: only
     * on a network you trust. Without it such a setting stops the start.
     */
    @WithDefault("false")
    boolean allowInsecure();

    /** Time one attempt may take. */
    @WithDefault("60s")
    Duration timeout();

    /** Attempts after the first for an answer that failed (bad JSON, 5xx, timeout). */
    @WithDefault("2")
    int maxRetries();

    /** Back-off before the first retry; it doubles for each further one. */
    @WithDefault("1s")
    Duration retryDelay();

    /** Attempts the circuit breaker looks back over. */
    @WithDefault("20")
    int circuitWindow();

    /** Share of failed attempts in the window that opens the circuit, in (0, 1]. */
    @WithDefault("0.5")
    double circuitFailureRatio();

    /** How long an open circuit refuses requests before it lets one through. */
    @WithDefault("30s")
    Duration circuitDelay();

    /**
     * The endpoint these settings describe; check {@link #problems} first.
     *
     * @throws java.util.NoSuchElementException without a base URL or model
     */
    default ChatEndpoint endpoint() {
        return new ChatEndpoint(baseUrl().orElseThrow(), model().orElseThrow(), apiKey(),
                allowInsecure());
    }

    /** The guard these settings describe; check {@link #problems} first. */
    default ChatGuard guard() {
        return new ChatGuard(timeout(), maxRetries(), retryDelay(), circuitWindow(),
                circuitFailureRatio(), circuitDelay());
    }

    /** What is wrong with these settings, each message naming its key under {@code prefix}. */
    default List<String> problems(String prefix) {
        List<String> problems = new ArrayList<>();
        insecureKey(prefix, baseUrl(), apiKey(), allowInsecure()).ifPresent(problems::add);
        if (timeout().isNegative() || timeout().isZero()) {
            problems.add(prefix + ".timeout must be > 0, was " + timeout());
        }
        if (maxRetries() < 0) {
            problems.add(prefix + ".max-retries must be >= 0, was " + maxRetries());
        }
        if (retryDelay().isNegative()) {
            problems.add(prefix + ".retry-delay must be >= 0, was " + retryDelay());
        }
        if (circuitWindow() < 1) {
            problems.add(prefix + ".circuit-window must be >= 1, was " + circuitWindow());
        }
        if (!(circuitFailureRatio() > 0 && circuitFailureRatio() <= 1)) {
            problems.add(prefix + ".circuit-failure-ratio must lie in (0, 1], was "
                    + circuitFailureRatio());
        }
        if (circuitDelay().isNegative()) {
            problems.add(prefix + ".circuit-delay must be >= 0, was " + circuitDelay());
        }
        return problems;
    }

    /**
     * The refusal, naming {@code <prefix>.api-key} and {@code <prefix>.allow-insecure}, of a key
     * that would go over plain http to a host other than loopback; empty when it would not.
     */
    static Optional<String> insecureKey(String prefix, Optional<URI> baseUrl,
            Optional<String> apiKey, boolean allowInsecure) {
        if (allowInsecure || baseUrl.isEmpty() || apiKey.filter(k -> !k.isBlank()).isEmpty()
                || !ChatEndpoint.exposesKey(baseUrl.get())) {
            return Optional.empty();
        }
        return Optional.of(ChatEndpoint.insecureKeyMessage(prefix + ".api-key", baseUrl.get(),
                prefix + ".allow-insecure=true"));
    }
}
