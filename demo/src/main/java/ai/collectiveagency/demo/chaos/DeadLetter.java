package ai.collectiveagency.demo.chaos;

import java.util.Objects;

/**
 * A record of a dead-letter topic that says why it is there (its {@code dead-letter-reason}
 * header): a record without a reason is not counted as dead-lettered.
 *
 * @param key the original record's key: a task id, or an injected poison record's key
 */
record DeadLetter(String topic, String key, String reason) {

    DeadLetter {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(reason, "reason");
    }
}
