package ai.collectiveagency.llm;

import java.time.Duration;
import java.util.Objects;

/**
 * How patiently {@link JsonChat} asks: each attempt may take {@code attemptTimeout}; a failed
 * attempt whose {@link ChatFailure} is retryable is retried up to {@code maxRetries} times after
 * an exponential back-off starting at {@code retryDelay}; when {@code failureRatio} of the last
 * {@code circuitWindow} attempts failed, the circuit opens and requests fail at once for
 * {@code circuitDelay}, so a long outage costs nothing but counted failures.
 */
public record ChatGuard(Duration attemptTimeout, int maxRetries, Duration retryDelay,
        int circuitWindow, double failureRatio, Duration circuitDelay) {

    public ChatGuard {
        Objects.requireNonNull(attemptTimeout, "attemptTimeout");
        Objects.requireNonNull(retryDelay, "retryDelay");
        Objects.requireNonNull(circuitDelay, "circuitDelay");
        if (attemptTimeout.isNegative() || attemptTimeout.isZero()) {
            throw new IllegalArgumentException("attempt timeout must be > 0, was "
                    + attemptTimeout);
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("max retries must be >= 0, was " + maxRetries);
        }
        if (retryDelay.isNegative()) {
            throw new IllegalArgumentException("retry delay must be >= 0, was " + retryDelay);
        }
        if (circuitWindow < 1) {
            throw new IllegalArgumentException("circuit window must be >= 1, was "
                    + circuitWindow);
        }
        if (!(failureRatio > 0 && failureRatio <= 1)) {
            throw new IllegalArgumentException("failure ratio must be in (0, 1], was "
                    + failureRatio);
        }
        if (circuitDelay.isNegative()) {
            throw new IllegalArgumentException("circuit delay must be >= 0, was " + circuitDelay);
        }
    }

    /** 60 s per attempt, 2 retries from 1 s, the circuit opens at 50% of 20 failing for 30 s. */
    public static ChatGuard defaults() {
        return new ChatGuard(Duration.ofSeconds(60), 2, Duration.ofSeconds(1), 20, 0.5,
                Duration.ofSeconds(30));
    }
}
