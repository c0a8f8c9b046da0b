package ai.collectiveagency.llm;

import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings of one OpenAI-compatible chat endpoint as a SmallRye config group: where it is
 * and its key ({@link ChatEndpointConfig}) and the {@link ChatGuard} around it
 * ({@code timeout}, {@code max-retries}, {@code retry-delay}, {@code circuit-window},
 * {@code circuit-failure-ratio}, {@code circuit-delay}). A service's settings for an LLM
 * endpoint extend it, so every service names them alike with the same defaults, and checks them
 * the same way at start-up.
 */
public interface ChatGuardConfig extends ChatEndpointConfig {

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

    /** The guard these settings describe; check {@link #problems} first. */
    default ChatGuard guard() {
        return new ChatGuard(timeout(), maxRetries(), retryDelay(), circuitWindow(),
                circuitFailureRatio(), circuitDelay());
    }

    /** What is wrong with these settings, each message naming its key under {@code prefix}. */
    default List<String> problems(String prefix) {
        List<String> problems = new ArrayList<>();
        insecureKey(prefix).ifPresent(problems::add);
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
}
