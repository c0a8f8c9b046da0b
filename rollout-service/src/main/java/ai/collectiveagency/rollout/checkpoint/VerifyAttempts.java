package ai.collectiveagency.rollout.checkpoint;

import ai.collectiveagency.selfplay.checkpoint.RefusalReason;

import java.time.Duration;
import java.util.Set;

/**
 * How often a checkpoint refused for a reason that a slow shared file system can explain
 * ({@link #RETRIED}: a folder, a file or the manifest not there yet, bytes still being written,
 * no inference engine answering yet)
 * is tried again before it counts as refused, and how long to wait: {@code backoff} before the
 * second attempt, doubling before each further one.
 *
 * @param attempts attempts in all, at least 1
 * @param backoff the first wait
 */
record VerifyAttempts(int attempts, Duration backoff) {

    /** The refusals that may be I/O timing; a signature, version or base model never is. */
    static final Set<RefusalReason> RETRIED =
            Set.of(RefusalReason.MISSING, RefusalReason.SHA256, RefusalReason.CORRUPT,
                    RefusalReason.ENGINE_UNAVAILABLE);

    /** One attempt: every refusal is final. */
    static final VerifyAttempts ONCE = new VerifyAttempts(1, Duration.ZERO);

    VerifyAttempts {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be >= 1, was " + attempts);
        }
        if (backoff.isNegative()) {
            throw new IllegalArgumentException("backoff must be >= 0, was " + backoff);
        }
    }

    static VerifyAttempts of(CheckpointConfig config) {
        return new VerifyAttempts(config.verifyAttempts(), config.verifyBackoff());
    }

    /** Whether a refusal after attempt {@code attempt} (1-based) is tried again. */
    boolean retries(RefusalReason reason, int attempt) {
        return attempt < attempts && RETRIED.contains(reason);
    }

    /** The wait after attempt {@code attempt} (1-based). */
    Duration waitAfter(int attempt) {
        return backoff.multipliedBy(1L << Math.min(attempt - 1, 20));
    }
}
