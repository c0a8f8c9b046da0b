package ai.collectiveagency.demo.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.schemas.topics.TopicCatalogue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScaledStageTest {

    private static final TopicCatalogue TOPICS = TopicCatalogue.defaults();

    @ParameterizedTest
    @CsvSource({"rollout-service,1", "rollout-service,3", "reward-service,2"})
    void scaledStagesTakeOneReplicaPerPartitionAtMost(String service, int count) {
        assertThat(ScaledStage.refusal(service, count, TOPICS)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "trainer-service|2|only writer of checkpoints",
            "prompt-generator|2|paces itself",
            "evaluation-service|2|a second would stand idle",
            "rollout-service|0|takes 1 to 3 replicas, not 0",
            "reward-service|4|takes 1 to 3 replicas, not 4: each replica reads at least one "
                    + "of the 3 partitions of alignment.rollouts",
            "evaluation|1|unknown service 'evaluation'"})
    void otherServicesAndCountsAreRefusedWithTheReason(String service, int count,
            String reason) {
        assertThat(ScaledStage.refusal(service, count, TOPICS)).get().asString()
                .contains(reason);
    }
}
