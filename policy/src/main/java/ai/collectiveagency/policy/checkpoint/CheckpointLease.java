package ai.collectiveagency.policy.checkpoint;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A rollout replica's claim on checkpoint versions of a store, one JSON file per replica in the
 * store's {@value CheckpointLeases#FOLDER}/ folder: the version it serves and the one it is
 * loading, until {@code expires_at}. The trainer's retention keeps every version an unexpired
 * lease names; an expired lease (a replica killed without a clean stop) counts for nothing.
 *
 * <pre>{@code
 * {"replica":"rollout-0","serving":12,"loading":14,"expires_at":"2026-11-26T10:00:30Z"}
 * }</pre>
 *
 * @param replica the replica's id, also the file's name: letters, digits, {@code . _ -}
 * @param serving the version served (0: the base model, no folder)
 * @param loading the version being verified or loaded, or null when none
 * @param expiresAt when the claim lapses unless renewed
 */
public record CheckpointLease(String replica, long serving, Long loading, Instant expiresAt) {

    /** What a replica id may hold: it names a file. */
    public static final Pattern REPLICA_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

    public CheckpointLease {
        Objects.requireNonNull(replica, "replica");
        Objects.requireNonNull(expiresAt, "expires_at");
        if (!REPLICA_ID.matcher(replica).matches()) {
            throw new IllegalArgumentException("replica id '" + replica + "' must match "
                    + REPLICA_ID.pattern() + " (it names the lease file)");
        }
    }

    /** Whether the claim still holds at {@code now}. */
    public boolean heldAt(Instant now) {
        return now.isBefore(expiresAt);
    }
}
