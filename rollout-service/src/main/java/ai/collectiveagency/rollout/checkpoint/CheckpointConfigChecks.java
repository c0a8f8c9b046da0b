package ai.collectiveagency.rollout.checkpoint;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks the {@code rollout.checkpoints.*} timings and counts, so that a value that cannot work
 * stops start-up with its key, e.g. {@code rollout.checkpoints.verify-attempts must be >= 1}.
 */
final class CheckpointConfigChecks {

    private CheckpointConfigChecks() {
    }

    /** Throws {@link IllegalArgumentException} listing every bad value, one per line. */
    static void requireValid(CheckpointConfig config) {
        List<String> problems = problems(config);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(
                    "invalid configuration:\n  " + String.join("\n  ", problems));
        }
    }

    /** One line per bad value; empty when all are good. */
    static List<String> problems(CheckpointConfig config) {
        List<String> problems = new ArrayList<>();
        if (config.verifyAttempts() < 1) {
            problems.add("rollout.checkpoints.verify-attempts must be >= 1, was "
                    + config.verifyAttempts());
        }
        if (config.verifyBackoff().isNegative()) {
            problems.add("rollout.checkpoints.verify-backoff must be >= 0, was "
                    + config.verifyBackoff());
        }
        positive(problems, "rollout.checkpoints.poll-interval", config.pollInterval());
        positive(problems, "rollout.checkpoints.lease-renew-interval",
                config.leaseRenewInterval());
        positive(problems, "rollout.checkpoints.stall-after", config.stallAfter());
        if (config.leaseExpiry().compareTo(config.leaseRenewInterval()) <= 0) {
            problems.add("rollout.checkpoints.lease-expiry must be longer than"
                    + " rollout.checkpoints.lease-renew-interval (" + config.leaseRenewInterval()
                    + "), was " + config.leaseExpiry());
        }
        return problems;
    }

    private static void positive(List<String> problems, String key, Duration value) {
        if (value.isNegative() || value.isZero()) {
            problems.add(key + " must be > 0, was " + value);
        }
    }
}
