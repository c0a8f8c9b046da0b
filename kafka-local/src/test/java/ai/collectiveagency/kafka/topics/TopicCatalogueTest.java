package ai.collectiveagency.kafka.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TopicCatalogueTest {

    private final TopicCatalogue catalogue = TopicCatalogue.defaults();

    @Test
    void namesTakeTheDefaultPrefix() {
        assertThat(catalogue.all()).extracting(TopicSpec::name).containsExactly(
                "alignment.prompts", "alignment.rollouts", "alignment.scored",
                "alignment.checkpoints", "alignment.metrics",
                "alignment.prompts.dlq", "alignment.rollouts.dlq", "alignment.scored.dlq",
                "alignment.checkpoints.dlq", "alignment.metrics.dlq");
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
    void onlyCheckpointsAreCompacted() {
        assertThat(catalogue.all()).filteredOn(TopicSpec::compacted)
                .extracting(TopicSpec::name).containsExactly("alignment.checkpoints");
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
                "x", 0, (short) 1, TopicConfig.CLEANUP_POLICY_DELETE, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
