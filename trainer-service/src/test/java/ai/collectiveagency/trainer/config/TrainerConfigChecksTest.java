package ai.collectiveagency.trainer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.collectiveagency.policy.grpo.LossAggregation;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import ai.collectiveagency.trainer.TestConfigs;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Start-up checks on the real config mapping ({@link TestConfigs}). */
class TrainerConfigChecksTest {

    private static TrainerConfig config(Map<String, String> properties) {
        return TestConfigs.config(properties);
    }

    @Test
    void theDefaultsFollowTheResearchAndPass() {
        TrainerConfig config = config(Map.of());

        assertThat(TrainerConfigChecks.problems(config)).isEmpty();
        assertThat(config.mode()).isEqualTo(TrainerConfig.Mode.LORA);
        assertThat(config.learningRate()).isEqualTo(5e-6);
        assertThat(config.beta()).isZero();
        assertThat(config.aggregation()).isEqualTo(LossAggregation.DAPO);
        assertThat(config.exitAtMaxSteps()).isTrue();
        TopicCatalogue catalogue = TopicCatalogue.defaults();
        assertThat(config.topics().scored()).isEqualTo(catalogue.name(LogicalTopic.SCORED));
        assertThat(config.topics().scoredDeadLetters())
                .isEqualTo(catalogue.dlqName(LogicalTopic.SCORED));
        assertThat(config.topics().checkpoints())
                .isEqualTo(catalogue.name(LogicalTopic.CHECKPOINTS));
        assertThat(config.topics().metrics()).isEqualTo(catalogue.name(LogicalTopic.METRICS));
    }

    @Test
    void everyBadValueIsNamedWithItsKey() {
        TrainerConfig config = config(Map.of("trainer.groups-per-step", "0",
                "trainer.learning-rate", "0", "trainer.checkpoint-every", "0",
                "trainer.epsilon-low", "1", "trainer.max-staleness", "-1",
                "trainer.lora.rank", "0", "trainer.micro-batch-rows", "0"));

        assertThat(TrainerConfigChecks.problems(config)).containsExactlyInAnyOrder(
                "trainer.learning-rate must be > 0, was 0.0",
                "trainer.epsilon-low must lie in [0, 1), was 1.0",
                "trainer.groups-per-step must be >= 1, was 0",
                "trainer.micro-batch-rows must be >= 1, was 0",
                "trainer.max-staleness must be >= 0, was -1",
                "trainer.checkpoint-every must be >= 1, was 0",
                "trainer.lora.rank must be >= 1, was 0");
    }

    @Test
    void retentionKeepsAtLeastOneVersionAndPinsRealVersions() {
        assertThat(config(Map.of()).checkpoints().keep()).isEqualTo(5);
        TrainerConfig config = config(Map.of("trainer.checkpoints.keep", "0",
                "trainer.checkpoints.pinned", "3,0"));

        assertThat(config.checkpoints().pinned()).contains(List.of(3L, 0L));
        assertThat(TrainerConfigChecks.problems(config)).containsExactlyInAnyOrder(
                "trainer.checkpoints.keep must be >= 1, was 0",
                "trainer.checkpoints.pinned must be >= 1, was 0");
    }

    @Test
    void aFolderWithoutConfigJsonIsRefusedAndStartUpStops() {
        TrainerConfig config = config(Map.of("trainer.model", "no/such/model"));

        assertThatThrownBy(() -> TrainerConfigChecks.requireValid(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid configuration:\n  trainer.model must be a Hugging Face "
                        + "model folder with a config.json, was "
                        + Path.of("no/such/model").toAbsolutePath());
    }

    @Test
    void loraSettingsAreNotCheckedForFullFineTuning() {
        assertThat(TrainerConfigChecks.problems(config(Map.of("trainer.mode", "full",
                "trainer.lora.rank", "0")))).isEmpty();
    }
}
