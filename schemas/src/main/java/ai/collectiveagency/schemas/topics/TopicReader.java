package ai.collectiveagency.schemas.topics;

import java.util.Objects;
import java.util.Optional;

/**
 * One reader of a topic.
 *
 * @param client who reads
 * @param group the consumer group whose offsets it commits: the group it reads in, or, for a
 *     reader that is assigned partitions (the trainer), the group it reports its progress to
 *     for lag readers; empty when it commits no offsets (where to read is its own business)
 * @param transactional whether it commits its offsets in Kafka transactions together with what
 *     it writes (a transactional stage), under transactional ids {@code <group>-<replica>}
 */
public record TopicReader(PipelineClient client, Optional<String> group, boolean transactional) {

    public TopicReader {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(group, "group");
        if (group.filter(String::isBlank).isPresent()) {
            throw new IllegalArgumentException("blank consumer group of " + client.user());
        }
        if (transactional && group.isEmpty()) {
            throw new IllegalArgumentException("a transactional stage reads in a group: "
                    + client.user());
        }
    }

    /** A reader in consumer group {@code group}. */
    public static TopicReader inGroup(PipelineClient client, String group) {
        return new TopicReader(client, Optional.of(group), false);
    }

    /**
     * A transactional stage in consumer group {@code group}: its offsets and its output are
     * committed together, by producers whose transactional ids start with {@code <group>-}.
     */
    public static TopicReader transactionalStage(PipelineClient client, String group) {
        return new TopicReader(client, Optional.of(group), true);
    }

    /**
     * A reader that is assigned partitions and joins no group, but commits how far it has read
     * to {@code group} so that lag readers can see it (the trainer).
     */
    public static TopicReader assignedReportingTo(PipelineClient client, String group) {
        return new TopicReader(client, Optional.of(group), false);
    }

    /** A reader that is assigned partitions and joins no group. */
    public static TopicReader assigned(PipelineClient client) {
        return new TopicReader(client, Optional.empty(), false);
    }

    /** The prefix of its transactional ids, when it is a transactional stage. */
    public Optional<String> transactionalIdPrefix() {
        return transactional ? group.map(g -> g + "-") : Optional.empty();
    }
}
