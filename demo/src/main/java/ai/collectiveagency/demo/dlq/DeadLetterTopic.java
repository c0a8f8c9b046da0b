package ai.collectiveagency.demo.dlq;

import ai.collectiveagency.schemas.topics.LogicalTopic;
import java.util.Objects;

/**
 * A data topic and its dead-letter topic, from either name: {@code alignment.scored} and
 * {@code alignment.scored.dlq} both name the pair ({@code <topic>.dlq}, the catalogue's rule).
 *
 * @param dataTopic where the dead letters came from, when a record does not say
 * @param dlqTopic where they are
 */
record DeadLetterTopic(String dataTopic, String dlqTopic) {

    DeadLetterTopic {
        Objects.requireNonNull(dataTopic, "dataTopic");
        Objects.requireNonNull(dlqTopic, "dlqTopic");
    }

    /** The pair named by {@code topic}, a data topic or its {@code .dlq}. */
    static DeadLetterTopic of(String topic) {
        String name = topic.strip();
        String data = name.endsWith(LogicalTopic.DLQ_SUFFIX)
                ? name.substring(0, name.length() - LogicalTopic.DLQ_SUFFIX.length()) : name;
        if (data.isEmpty()) {
            throw new IllegalArgumentException("no topic name in '" + topic + "'");
        }
        return new DeadLetterTopic(data, data + LogicalTopic.DLQ_SUFFIX);
    }
}
