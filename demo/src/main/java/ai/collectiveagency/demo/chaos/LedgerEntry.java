package ai.collectiveagency.demo.chaos;

import java.util.Locale;
import java.util.Objects;

/**
 * One line of the trainer's ledger ({@code <store>/ledger/v<version>.jsonl}): a scored group the
 * trainer settled before checkpoint {@code version}, and how.
 *
 * @param groupId null for a dead letter that had no decodable group
 */
record LedgerEntry(Kind kind, String taskId, String groupId, long version) {

    /** How a group was settled; the ledger's {@code kind} values. */
    enum Kind {
        /** Trained on in an optimizer step. */
        TRAINED,
        /** A held-out group, evaluated, never trained on. */
        HELD_OUT,
        /** Rewards all equal: settled without training (the trainer's dynamic sampling). */
        NO_SIGNAL,
        /** Sent to {@code alignment.scored.dlq} with a reason. */
        DEAD_LETTERED,
        /** A group id already settled, skipped: the trainer's second line against replays. */
        DUPLICATE;

        /** The kind written as {@code name} ({@code trained}, {@code held_out}, ...). */
        static Kind of(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
    }

    LedgerEntry {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(taskId, "taskId");
    }
}
