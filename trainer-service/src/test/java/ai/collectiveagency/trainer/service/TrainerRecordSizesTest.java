package ai.collectiveagency.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import org.junit.jupiter.api.Test;

/** The trainer's clients are sized as the topic catalogue sizes the topics they use. */
class TrainerRecordSizesTest {

    private final TopicCatalogue catalogue = TopicCatalogue.defaults();

    @Test
    void producersSendWhatTheirTopicsTake() {
        assertThat(TrainerRecordSizes.SCORED_GROUP_BYTES)
                .isEqualTo(catalogue.dlqSpec(LogicalTopic.SCORED).maxMessageBytes());
        assertThat(TrainerRecordSizes.CHECKPOINT_BYTES)
                .isEqualTo(catalogue.spec(LogicalTopic.CHECKPOINTS).maxMessageBytes());
        assertThat(TrainerRecordSizes.METRICS_BYTES)
                .isEqualTo(catalogue.spec(LogicalTopic.METRICS).maxMessageBytes());
    }

    @Test
    void consumerFetchesTheLargestScoredGroupFromEveryPartition() {
        int largest = catalogue.spec(LogicalTopic.SCORED).maxMessageBytes();

        assertThat(TrainerRecordSizes.SCORED_GROUP_BYTES).isEqualTo(largest);
        assertThat(TrainerRecordSizes.SCORED_FETCH_BYTES)
                .isGreaterThanOrEqualTo(largest * catalogue.spec(LogicalTopic.SCORED).partitions());
    }
}
