package ai.collectiveagency.reward.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.kafka.quarkus.LocalKafkaTestResource;
import ai.collectiveagency.scoring.fixtures.Fixtures;
import ai.collectiveagency.scoring.onnx.OnnxRewardModel;
import ai.collectiveagency.scoring.TestData;
import ai.collectiveagency.schemas.ScoredGroup;
import ai.collectiveagency.schemas.TrajectoryScore;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The service on the real broker with the {@code reward-tiny-onnx} model as its scorer
 * ({@code %test} profile): groups in, scored groups out, keyed by task id, rewards equal to the
 * model's scores of the resolutions, failed trajectories 0; a record that does not decode ends in
 * the DLQ with its reason and the groups after it are still scored.
 */
@QuarkusTest
@WithTestResource(LocalKafkaTestResource.class)
class RewardServiceTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void groupsInScoredGroupsOutAndAMalformedRecordInTheDeadLetterQueue() {
        TopicIo io = new TopicIo(bootstrapServers);
        io.sendGroups(List.of(TestData.group("r-1", "we cooperate .", null)));
        io.sendBytes("r-bad", "not an avro record".getBytes(StandardCharsets.UTF_8));
        io.sendGroups(List.of(TestData.group("r-2", "both sides gain more than they lose",
                "the owners of the factory")));

        List<ConsumerRecord<String, ScoredGroup>> scored = io.scored(2, DEADLINE);
        List<ConsumerRecord<String, byte[]>> dead = io.deadLetters(1, DEADLINE);

        Map<String, List<Double>> rewards = scored.stream().collect(Collectors.toMap(
                ConsumerRecord::key, r -> r.value().getScores().stream()
                        .map(TrajectoryScore::getReward).toList()));
        assertThat(rewards).containsOnlyKeys("r-1", "r-2");
        try (OnnxRewardModel model = OnnxRewardModel.load(
                Fixtures.shipped("reward-tiny-onnx"), 512, 1)) {
            assertThat(rewards.get("r-1").get(0)).isCloseTo(
                    model.score(List.of("we cooperate ."))[0], within(1e-6));
            assertThat(rewards.get("r-1").get(1)).isEqualTo(0.0);
            assertThat(rewards.get("r-2").get(0)).isCloseTo(model.score(List.of("both sides gain more than they lose"))[0],
                            within(1e-6));
        }
        assertThat(scored.get(0).value().getScorerId()).isEqualTo("onnx:reward-tiny-onnx");
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).key()).isEqualTo("r-bad");
        Header reason = dead.get(0).headers().lastHeader("dead-letter-reason");
        assertThat(new String(reason.value(), StandardCharsets.UTF_8)).contains("RolloutGroup");
    }
}
