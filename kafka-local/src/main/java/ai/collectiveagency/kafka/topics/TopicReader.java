package ai.collectiveagency.kafka.topics;

import java.util.Objects;
import java.util.Optional;

/**
 * One reader of a topic.
 *
 * @param client who reads
 * @param group the consumer group it reads in; empty when it is assigned partitions and joins
 *     no group (it commits no offsets: where to read is its own business)
 */
public record TopicReader(PipelineClient client, Optional<String> group) {

    public TopicReader {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(group, "group");
        if (group.filter(String::isBlank).isPresent()) {
            throw new IllegalArgumentException("blank consumer group of " + client.user());
        }
    }

    /** A reader in consumer group {@code group}. */
    public static TopicReader inGroup(PipelineClient client, String group) {
        return new TopicReader(client, Optional.of(group));
    }

    /** A reader that is assigned partitions and joins no group. */
    public static TopicReader assigned(PipelineClient client) {
        return new TopicReader(client, Optional.empty());
    }
}
