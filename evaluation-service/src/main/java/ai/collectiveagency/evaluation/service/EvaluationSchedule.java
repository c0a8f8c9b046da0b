package ai.collectiveagency.evaluation.service;

import ai.collectiveagency.schemas.PolicyCheckpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Which announced checkpoint to evaluate, and when: only versions that are multiples of
 * {@code everyNth}, at most one evaluation start per {@code minInterval}, and when several
 * qualify while one waits or runs, the newest wins (the others are skipped: an evaluation of an
 * old version is stale before it starts). Not thread-safe: the service's one worker uses it.
 */
public final class EvaluationSchedule {

    private final int everyNth;
    private final Duration minInterval;
    private PolicyCheckpoint waiting;
    private Instant lastStart;
    private long newestEvaluated;
    private long skipped;

    public EvaluationSchedule(int everyNth, Duration minInterval) {
        if (everyNth < 1) {
            throw new IllegalArgumentException("evaluation.schedule.every-nth-version must be at"
                    + " least 1, was " + everyNth);
        }
        if (minInterval.isNegative()) {
            throw new IllegalArgumentException("evaluation.schedule.min-interval must not be"
                    + " negative, was " + minInterval);
        }
        this.everyNth = everyNth;
        this.minInterval = minInterval;
    }

    /** An announcement arrived; returns whether it is now the one waiting. */
    public boolean announced(PolicyCheckpoint checkpoint) {
        long version = checkpoint.getVersion();
        if (version <= newestEvaluated || version % everyNth != 0) {
            return false;
        }
        if (waiting != null) {
            if (waiting.getVersion() >= version) {
                return false;
            }
            skipped++;
        }
        waiting = checkpoint;
        return true;
    }

    /** The checkpoint to evaluate now, if one waits and the interval has passed; it is taken. */
    public Optional<PolicyCheckpoint> due(Instant now) {
        if (waiting == null || (lastStart != null
                && now.isBefore(lastStart.plus(minInterval)))) {
            return Optional.empty();
        }
        PolicyCheckpoint next = waiting;
        waiting = null;
        lastStart = now;
        newestEvaluated = next.getVersion();
        return Optional.of(next);
    }

    /** Whether an announcement waits for its turn (its offset must not be committed yet). */
    public boolean hasWaiting() {
        return waiting != null;
    }

    /** Qualifying versions passed over for a newer one, so far. */
    public long skipped() {
        return skipped;
    }
}
