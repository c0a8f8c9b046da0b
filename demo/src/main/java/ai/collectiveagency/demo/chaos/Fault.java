package ai.collectiveagency.demo.chaos;

import java.time.Duration;
import java.util.Objects;

/**
 * One fault of a chaos run, due {@code at} after the fleet is up.
 *
 * @param target the service to kill, or the topic to poison; empty for the broker
 */
record Fault(Duration at, Kind kind, String target) {

    enum Kind {
        /** SIGKILL a service, then start it again on its ports and wait until it is ready. */
        KILL,
        /** Close the broker and start it again on its folder and port. */
        RESTART_BROKER,
        /** Write a garbage record and a tombstone to a consumed topic. */
        POISON
    }

    Fault {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
    }

    /** What the fault does, for the run's output. */
    String describe() {
        return switch (kind) {
            case KILL -> "SIGKILL " + target;
            case RESTART_BROKER -> "broker restart";
            case POISON -> "poison into " + target;
        };
    }
}
