package ai.collectiveagency.demo.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Lag per consumer group from offsets; the trainer's from its group, or from its checkpoint's
 * offsets when its group has committed nothing.
 */
class ConsumerLagTest {

    private static final String PROMPTS = TopicCatalogue.defaults().name(LogicalTopic.PROMPTS);
    private static final String SCORED = TopicCatalogue.defaults().name(LogicalTopic.SCORED);
    private static final TopicPartition PROMPTS_0 = new TopicPartition(PROMPTS, 0);
    private static final TopicPartition PROMPTS_1 = new TopicPartition(PROMPTS, 1);
    private static final TopicPartition SCORED_0 = new TopicPartition(SCORED, 0);
    private static final TopicPartition SCORED_1 = new TopicPartition(SCORED, 1);

    private static BrokerOffsets offsets(Map<String, Map<TopicPartition, Long>> committed) {
        return new BrokerOffsets(
                Map.of(PROMPTS_0, 0L, PROMPTS_1, 2L, SCORED_0, 0L, SCORED_1, 1L),
                Map.of(PROMPTS_0, 10L, PROMPTS_1, 7L, SCORED_0, 8L, SCORED_1, 5L),
                committed);
    }

    @Test
    void aGroupsLagIsEndMinusCommittedWithUncommittedPartitionsFromTheEarliest() {
        Map<String, Long> lag = ConsumerLag.of(offsets(Map.of("rollout-service",
                Map.of(PROMPTS_0, 6L))), SCORED, Map.of());

        // Partition 0: 10 - 6; partition 1, never committed: 7 - 2.
        assertThat(lag).containsEntry("rollout-service", 9L);
    }

    @Test
    void theTrainersLagCountsFromItsNewestCheckpointsOffsets() {
        Map<String, Long> lag = ConsumerLag.of(offsets(Map.of()), SCORED,
                Map.of(SCORED + "-0", 6L, SCORED + "-1", 5L));

        assertThat(lag).containsExactly(Map.entry(ConsumerLag.TRAINER, 2L));
    }

    @Test
    void aTrainerThatCommitsToItsGroupIsMeasuredByItsGroup() {
        Map<String, Long> lag = ConsumerLag.of(offsets(Map.of(ConsumerLag.TRAINER,
                Map.of(SCORED_0, 8L, SCORED_1, 4L))), SCORED,
                Map.of(SCORED + "-0", 2L, SCORED + "-1", 1L));

        assertThat(lag).containsExactly(Map.entry(ConsumerLag.TRAINER, 1L));
    }

    @Test
    void beforeAnyCheckpointTheTrainersLagCountsFromTheEarliestOffsets() {
        Map<String, Long> lag = ConsumerLag.of(offsets(Map.of()), SCORED, Map.of());

        assertThat(lag).containsEntry(ConsumerLag.TRAINER, 8L + 4L);
    }
}
