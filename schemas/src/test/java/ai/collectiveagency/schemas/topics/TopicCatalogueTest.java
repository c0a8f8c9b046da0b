package ai.collectiveagency.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class TopicCatalogueTest {

    private final TopicCatalogue catalogue = TopicCatalogue.defaults();

    @Test
    void namesTakeTheDefaultPrefix() {
        assertThat(catalogue.all()).extracting(TopicSpec::name).containsExactly(
                "alignment.prompts", "alignment.rollouts", "alignment.scored",
                "alignment.checkpoints", "alignment.metrics", "alignment.fleet-control",
                "alignment.prompts.dlq", "alignment.rollouts.dlq", "alignment.scored.dlq",
                "alignment.checkpoints.dlq", "alignment.metrics.dlq",
                "alignment.fleet-control.dlq");
    }

    @Test
    void prefixIsConfigurable() {
        TopicCatalogue other = TopicCatalogue.withPrefix("test-1.");

        assertThat(other.name(LogicalTopic.SCORED)).isEqualTo("test-1.scored");
        assertThat(other.dlqName(LogicalTopic.SCORED)).isEqualTo("test-1.scored.dlq");
    }

    @Test
    void prefixWithIllegalCharactersIsRefused() {
        assertThatThrownBy(() -> TopicCatalogue.withPrefix("bad prefix/"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyCheckpointsAndFleetControlAreCompacted() {
        assertThat(catalogue.all()).filteredOn(TopicSpec::compacted)
                .extracting(TopicSpec::name)
                .containsExactly("alignment.checkpoints", "alignment.fleet-control");
    }

    @Test
    void fleetControlIsOnePartitionKeptForever() {
        TopicSpec control = catalogue.spec(LogicalTopic.CONTROL);

        assertThat(control.partitions()).isEqualTo(1);
        assertThat(control.retentionMs()).isEqualTo(-1);
    }

    @ParameterizedTest
    @EnumSource(LogicalTopic.class)
    void everyTopicHasADeleteRetainedDeadLetterTopic(LogicalTopic topic) {
        TopicSpec dlq = catalogue.dlqSpec(topic);

        assertThat(dlq.name()).isEqualTo(catalogue.name(topic) + ".dlq");
        assertThat(dlq.cleanupPolicy()).isEqualTo(TopicConfig.CLEANUP_POLICY_DELETE);
        assertThat(dlq.retentionMs()).isPositive();
    }

    @Test
    void newTopicsCarryPartitionsReplicationAndConfigs() {
        NewTopic prompts = catalogue.newTopics().get(0);

        assertThat(prompts.name()).isEqualTo("alignment.prompts");
        assertThat(prompts.numPartitions()).isEqualTo(TopicCatalogue.DEFAULT_PARTITIONS);
        assertThat(prompts.replicationFactor()).isEqualTo((short) 1);
        assertThat(prompts.configs()).containsEntry(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
    }

    @Test
    void specWithoutPartitionsIsRefused() {
        assertThatThrownBy(() -> new TopicSpec(
                "x", 0, (short) 1, TopicConfig.CLEANUP_POLICY_DELETE, -1, 1024,
                TopicAccess.none()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @MethodSource("messageLimits")
    void everyTopicAndItsDeadLettersTakeRecordsUpToItsLimit(LogicalTopic topic, int limit) {
        assertThat(catalogue.spec(topic).maxMessageBytes()).isEqualTo(limit);
        assertThat(catalogue.dlqSpec(topic).maxMessageBytes()).isEqualTo(limit);
        assertThat(catalogue.spec(topic).toNewTopic().configs())
                .containsEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(limit));
    }

    static Stream<Arguments> messageLimits() {
        int mib = 1024 * 1024;
        return Stream.of(
                Arguments.of(LogicalTopic.PROMPTS, mib),
                Arguments.of(LogicalTopic.ROLLOUTS, 16 * mib),
                Arguments.of(LogicalTopic.SCORED, 16 * mib),
                Arguments.of(LogicalTopic.CHECKPOINTS, 256 * 1024),
                Arguments.of(LogicalTopic.METRICS, mib),
                Arguments.of(LogicalTopic.CONTROL, 64 * 1024));
    }

    @Test
    void largestLimitIsThatOfTheGroups() {
        assertThat(catalogue.largestMessageBytes())
                .isEqualTo(TopicCatalogue.GROUP_MAX_MESSAGE_BYTES);
    }

    @Test
    void onlyTheTrainerMayWriteCheckpoints() {
        assertThat(ClientPermissions.of(catalogue)).filteredOn(p -> p.operation()
                == AclOperation.WRITE && p.resource().equals("alignment.checkpoints"))
                .extracting(Permission::client).containsExactly(PipelineClient.TRAINER_SERVICE);
    }

    @Test
    void theTrainerAndTheEvaluationServiceWriteMetrics() {
        assertThat(ClientPermissions.of(catalogue)).filteredOn(p -> p.operation()
                == AclOperation.WRITE && p.resource().equals("alignment.metrics"))
                .extracting(Permission::client).containsExactly(
                        PipelineClient.TRAINER_SERVICE, PipelineClient.EVALUATION_SERVICE);
    }

    @Test
    void onlyTheOperatorMayWriteTheFleetControl() {
        assertThat(ClientPermissions.of(catalogue)).filteredOn(p -> p.operation()
                == AclOperation.WRITE && p.resource().equals("alignment.fleet-control"))
                .extracting(Permission::client).containsExactly(PipelineClient.OPERATOR);
    }

    @ParameterizedTest
    @MethodSource("permissionsByClient")
    void eachClientMayDoWhatItsCodeDoesAndNothingElse(PipelineClient client,
            List<String> expected) {
        assertThat(ClientPermissions.of(catalogue, client)).extracting(p -> p.operation() + " "
                + p.resourceType() + " " + p.resource()).containsExactlyInAnyOrderElementsOf(
                expected);
    }

    static Stream<Arguments> permissionsByClient() {
        return Stream.of(
                Arguments.of(PipelineClient.PROMPT_GENERATOR, List.of(
                        "WRITE TOPIC alignment.prompts", "READ TOPIC alignment.prompts",
                        "READ GROUP prompts-audit", "DESCRIBE GROUP rollout-service",
                        "WRITE TOPIC alignment.prompts.dlq", "DESCRIBE TOPIC alignment.scored",
                        "DESCRIBE GROUP trainer-service")),
                Arguments.of(PipelineClient.ROLLOUT_SERVICE, List.of(
                        "READ TOPIC alignment.prompts", "READ GROUP rollout-service",
                        "WRITE TRANSACTIONAL_ID rollout-service-",
                        "WRITE TOPIC alignment.prompts.dlq", "WRITE TOPIC alignment.rollouts",
                        "READ TOPIC alignment.checkpoints",
                        "READ TOPIC alignment.fleet-control")),
                Arguments.of(PipelineClient.REWARD_SERVICE, List.of(
                        "READ TOPIC alignment.rollouts", "READ GROUP reward-service",
                        "WRITE TRANSACTIONAL_ID reward-service-",
                        "WRITE TOPIC alignment.rollouts.dlq", "WRITE TOPIC alignment.scored")),
                Arguments.of(PipelineClient.TRAINER_SERVICE, List.of(
                        "READ TOPIC alignment.scored", "READ GROUP trainer-service",
                        "WRITE TOPIC alignment.scored.dlq",
                        "WRITE TOPIC alignment.checkpoints", "WRITE TOPIC alignment.metrics")),
                Arguments.of(PipelineClient.EVALUATION_SERVICE, List.of(
                        "READ TOPIC alignment.checkpoints", "READ GROUP evaluation-service",
                        "WRITE TOPIC alignment.metrics")),
                Arguments.of(PipelineClient.OBSERVER, List.of(
                        "DESCRIBE TOPIC alignment.prompts", "DESCRIBE GROUP rollout-service",
                        "DESCRIBE GROUP prompts-audit", "DESCRIBE TOPIC alignment.rollouts",
                        "DESCRIBE GROUP reward-service", "READ TOPIC alignment.scored",
                        "DESCRIBE GROUP trainer-service",
                        "READ TOPIC alignment.checkpoints", "READ TOPIC alignment.metrics",
                        "READ TOPIC alignment.fleet-control")),
                Arguments.of(PipelineClient.OPERATOR, List.of(
                        "READ TOPIC alignment.prompts.dlq", "READ TOPIC alignment.rollouts.dlq",
                        "READ TOPIC alignment.scored.dlq", "READ TOPIC alignment.checkpoints.dlq",
                        "READ TOPIC alignment.metrics.dlq",
                        "READ TOPIC alignment.fleet-control.dlq", "WRITE TOPIC alignment.prompts",
                        "WRITE TOPIC alignment.rollouts", "WRITE TOPIC alignment.scored",
                        "WRITE TOPIC alignment.fleet-control")));
    }

    @Test
    void readerGroupsAreTheServicesConsumerGroups() {
        assertThat(catalogue.spec(LogicalTopic.PROMPTS).access().groups())
                .containsExactly("prompts-audit", "rollout-service");
        assertThat(catalogue.spec(LogicalTopic.ROLLOUTS).access().groups())
                .containsExactly("reward-service");
        assertThat(catalogue.spec(LogicalTopic.SCORED).access().groups())
                .containsExactly("trainer-service");
        assertThat(catalogue.spec(LogicalTopic.CHECKPOINTS).access().groups())
                .containsExactly("evaluation-service");
    }
}
