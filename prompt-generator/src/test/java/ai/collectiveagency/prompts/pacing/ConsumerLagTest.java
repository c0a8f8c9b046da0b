package ai.collectiveagency.prompts.pacing;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ConsumerLagTest {

    private static final String PROMPTS = TopicCatalogue.defaults().name(LogicalTopic.PROMPTS);
    private static final TopicPartition P0 = new TopicPartition(PROMPTS, 0);
    private static final TopicPartition P1 = new TopicPartition(PROMPTS, 1);
    private static final TopicPartition P2 = new TopicPartition(PROMPTS, 2);

    @Test
    void lagIsTheSumOverPartitionsOfEndMinusCommitted() {
        Map<TopicPartition, Long> ends = Map.of(P0, 10L, P1, 7L, P2, 3L);
        Map<TopicPartition, Long> committed = Map.of(P0, 4L, P1, 7L, P2, 1L);

        assertThat(ConsumerLag.of(ends, committed)).isEqualTo(6 + 0 + 2);
    }

    @Test
    void partitionWithoutCommittedOffsetCountsItsWholeEndOffset() {
        Map<TopicPartition, Long> ends = Map.of(P0, 10L, P1, 7L, P2, 3L);

        assertThat(ConsumerLag.of(ends, Map.of(P0, 4L))).isEqualTo(6 + 7 + 3);
        assertThat(ConsumerLag.of(ends, Map.of())).isEqualTo(20);
    }

    @Test
    void emptyTopicHasNoLag() {
        assertThat(ConsumerLag.of(Map.of(P0, 0L, P1, 0L), Map.of())).isZero();
    }

    @Test
    void committedBeyondTheEndNeverMakesTheLagNegative() {
        // A read of end offsets older than the commit (two separate requests) must not go negative.
        assertThat(ConsumerLag.of(Map.of(P0, 5L, P1, 5L), Map.of(P0, 6L, P1, 2L))).isEqualTo(3);
    }
}
