package ai.collectiveagency.demo.dashboard;

import ai.collectiveagency.schemas.topics.TopicCatalogue;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;

/**
 * Consumer lag per stage: for each consumer group, the records written to the topics it reads
 * that it has not committed yet (end offset minus committed offset, added over partitions).
 *
 * <p>The trainer's position lives in its checkpoints; it commits how far it has taken up the
 * scored groups to its group ({@link #TRAINER}) for lag readers alone, and that group's lag is
 * the one shown, the lag the prompt-generator paces by. A trainer that has committed nothing
 * there (one older than those commits) is measured from its newest checkpoint's announced
 * offsets ({@code consumed_offsets}) instead: the scored records a restart would read again,
 * falling back at every checkpoint; before any checkpoint, from the earliest offsets.
 */
public final class ConsumerLag {

    /** The trainer's key in the lag table: its group's id. */
    public static final String TRAINER = TopicCatalogue.TRAINER_GROUP;

    private ConsumerLag() {
    }

    /**
     * @param scoredTopic the topic the trainer reads
     * @param trainerConsumed its newest checkpoint's offsets by {@code topic-partition} key;
     *     empty before any checkpoint
     * @return records not yet consumed, by consumer group id and {@link #TRAINER}
     */
    public static Map<String, Long> of(BrokerOffsets offsets, String scoredTopic,
            Map<String, Long> trainerConsumed) {
        Map<String, Long> lag = new TreeMap<>();
        offsets.committed().forEach((group, committed) -> lag.put(group,
                groupLag(offsets, committed)));
        boolean scoredExists = offsets.latest().keySet().stream()
                .anyMatch(p -> p.topic().equals(scoredTopic));
        if (!lag.containsKey(TRAINER) && scoredExists) {
            lag.put(TRAINER, behind(offsets, scoredTopic, p -> trainerConsumed.get(
                    p.topic() + "-" + p.partition())));
        }
        return lag;
    }

    /**
     * A group's lag on every topic it committed on. Its partitions without a commit count from
     * their earliest offset: the services start from there ({@code auto.offset.reset=earliest}).
     */
    private static long groupLag(BrokerOffsets offsets, Map<TopicPartition, Long> committed) {
        Set<String> topics = committed.keySet().stream().map(TopicPartition::topic)
                .collect(Collectors.toSet());
        return topics.stream().mapToLong(topic -> behind(offsets, topic, committed::get)).sum();
    }

    /** End minus position over the topic's partitions; a null position means the earliest. */
    private static long behind(BrokerOffsets offsets, String topic,
            Function<TopicPartition, Long> position) {
        long lag = 0;
        for (Map.Entry<TopicPartition, Long> end : offsets.latest().entrySet()) {
            TopicPartition partition = end.getKey();
            if (!partition.topic().equals(topic)) {
                continue;
            }
            Long at = position.apply(partition);
            long from = at != null ? at : offsets.earliest().getOrDefault(partition, 0L);
            lag += Math.max(0, end.getValue() - from);
        }
        return lag;
    }
}
