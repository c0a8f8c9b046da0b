package ai.collectiveagency.demo.fleetops;

import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/** What Kafka told {@code fleet status}, or why it told nothing. */
sealed interface KafkaView {

    /**
     * @param newestCheckpoint the highest version announced on the checkpoints topic; empty
     *     before the first checkpoint
     * @param lag records not yet consumed, by service (its consumer group's lag; the trainer's
     *     after its newest checkpoint)
     * @param pinnedVersion the version the operator pinned the fleet to (the fleet-control
     *     topic's last record); empty when not pinned
     */
    record Reached(OptionalLong newestCheckpoint, Map<String, Long> lag,
            OptionalLong pinnedVersion) implements KafkaView {

        public Reached {
            Objects.requireNonNull(newestCheckpoint, "newestCheckpoint");
            Objects.requireNonNull(pinnedVersion, "pinnedVersion");
            lag = Map.copyOf(lag);
        }
    }

    /** @param reason why no broker answered, for the operator */
    record Unreachable(String reason) implements KafkaView {

        public Unreachable {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
