package ai.collectiveagency.trainer.ledger;

import java.util.Objects;

/**
 * One line of a ledger file: what became of one scored record. Which fields a line carries
 * depends on its kind (the others are null):
 *
 * <ul>
 *   <li>{@code trained}: task, group, the step that trained it;</li>
 *   <li>{@code held_out}: task, group, the policy version that sampled it (evaluated, never
 *       trained on);</li>
 *   <li>{@code no_signal}: task, group, the policy version that sampled it: its rewards were all
 *       equal, so dynamic sampling ({@code trainer.dynamic-sampling}) settled it without
 *       training;</li>
 *   <li>{@code dead_lettered}: task (the record's key when it did not decode), group (null when
 *       it did not decode), the reason it went to the scored topic's DLQ;</li>
 *   <li>{@code duplicate}: task, group: an id already settled, skipped.</li>
 * </ul>
 *
 * @param version the checkpoint version whose ledger file holds the line; 0 while the entry is
 *     only in memory, waiting for its checkpoint
 */
public record LedgerEntry(Kind kind, String taskId, String groupId, Long step,
        Long policyVersion, String reason, long version) {

    public LedgerEntry {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(taskId, "taskId");
    }

    /** What became of the record; {@link #json()} is its name in the file. */
    public enum Kind {
        TRAINED("trained"), HELD_OUT("held_out"), NO_SIGNAL("no_signal"),
        DEAD_LETTERED("dead_lettered"), DUPLICATE("duplicate");

        private final String json;

        Kind(String json) {
            this.json = json;
        }

        public String json() {
            return json;
        }

        /** Whether the group is settled by this entry (a duplicate only points at another). */
        public boolean settles() {
            return this != DUPLICATE;
        }

        static Kind ofJson(String name) {
            for (Kind kind : values()) {
                if (kind.json.equals(name)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown ledger kind " + name);
        }
    }

    public static LedgerEntry trained(String taskId, String groupId, long step) {
        return new LedgerEntry(Kind.TRAINED, taskId, groupId, step, null, null, 0);
    }

    public static LedgerEntry heldOut(String taskId, String groupId, long policyVersion) {
        return new LedgerEntry(Kind.HELD_OUT, taskId, groupId, null, policyVersion, null, 0);
    }

    public static LedgerEntry noSignal(String taskId, String groupId, long policyVersion) {
        return new LedgerEntry(Kind.NO_SIGNAL, taskId, groupId, null, policyVersion, null, 0);
    }

    /** @param groupId null when the record did not decode */
    public static LedgerEntry deadLettered(String taskId, String groupId, String reason) {
        return new LedgerEntry(Kind.DEAD_LETTERED, taskId, groupId, null, null,
                Objects.requireNonNull(reason, "reason"), 0);
    }

    public static LedgerEntry duplicate(String taskId, String groupId) {
        return new LedgerEntry(Kind.DUPLICATE, taskId, groupId, null, null, null, 0);
    }

    /** This entry as written into version {@code version}'s file. */
    public LedgerEntry in(long version) {
        return new LedgerEntry(kind, taskId, groupId, step, policyVersion, reason, version);
    }
}
