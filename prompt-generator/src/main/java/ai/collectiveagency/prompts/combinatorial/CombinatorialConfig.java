package ai.collectiveagency.prompts.combinatorial;

import java.time.Instant;
import java.util.Objects;

/**
 * How the combinatorial source draws its tasks.
 *
 * @param seed run seed: the same seed and seed lists give the same tasks, byte for byte
 * @param negotiationShare share of tasks in NEGOTIATION mode, the rest SINGLE, in [0, 1]
 * @param heldOutShare share of tasks marked held out for evaluation, in [0, 1]
 * @param createdAt the {@code created_at} of every task of the run
 */
public record CombinatorialConfig(
        long seed, double negotiationShare, double heldOutShare, Instant createdAt) {

    /**
     * Default share of NEGOTIATION tasks: all of them, so that a negotiation run trains on
     * negotiations alone and a single-agent baseline (share 0) is a separate run to compare it
     * with, not a fifth of the same one.
     */
    public static final double DEFAULT_NEGOTIATION_SHARE = 1.0;
    /** Default share of held-out tasks. */
    public static final double DEFAULT_HELD_OUT_SHARE = 0.05;

    public CombinatorialConfig {
        Objects.requireNonNull(createdAt, "createdAt");
        requireShare("negotiationShare", negotiationShare);
        requireShare("heldOutShare", heldOutShare);
    }

    /** The defaults with the given seed and creation time. */
    public static CombinatorialConfig defaults(long seed, Instant createdAt) {
        return new CombinatorialConfig(
                seed, DEFAULT_NEGOTIATION_SHARE, DEFAULT_HELD_OUT_SHARE, createdAt);
    }

    private static void requireShare(String name, double share) {
        if (!(share >= 0.0 && share <= 1.0)) {
            throw new IllegalArgumentException(name + " must lie in [0, 1], was " + share);
        }
    }
}
