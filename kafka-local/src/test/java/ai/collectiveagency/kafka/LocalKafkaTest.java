package ai.collectiveagency.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicSpec;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One temporary broker shared by the behaviours that do not restart it. */
class LocalKafkaTest {

    private static LocalKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = LocalKafka.startTemporary();
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void recordKeyedByTaskIdIsConsumedBackFromPrompts() throws Exception {
        String prompts = kafka.catalogue().name(LogicalTopic.PROMPTS);

        Records.send(kafka, prompts, "task-42", "{\"scenario\":\"a dam\"}");
        ConsumerRecord<String, String> record = Records.readOne(kafka, prompts);

        assertThat(record.key()).isEqualTo("task-42");
        assertThat(record.value()).isEqualTo("{\"scenario\":\"a dam\"}");
    }

    @Test
    void catalogueTopicsExistWithTheirPartitionsAndCheckpointsAreCompacted() throws Exception {
        try (Admin admin = kafka.createAdmin()) {
            Set<String> names = admin.listTopics().names().get();
            assertThat(names).containsAll(
                    kafka.catalogue().all().stream().map(TopicSpec::name).toList());

            for (TopicSpec spec : kafka.catalogue().all()) {
                TopicDescription description =
                        admin.describeTopics(Set.of(spec.name())).allTopicNames().get()
                                .get(spec.name());
                assertThat(description.partitions()).as(spec.name())
                        .hasSize(spec.partitions());
            }
            String checkpoints = kafka.catalogue().name(LogicalTopic.CHECKPOINTS);
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, checkpoints);
            Map<ConfigResource, Config> configs =
                    admin.describeConfigs(Set.of(resource)).all().get();
            assertThat(configs.get(resource).get(TopicConfig.CLEANUP_POLICY_CONFIG).value())
                    .isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
        }
    }

    @Test
    void ensureTopicsIsIdempotent() throws Exception {
        try (Admin admin = kafka.createAdmin()) {
            Set<String> before = admin.listTopics().names().get();

            Set<String> created = kafka.catalogue().ensureTopics(admin);

            assertThat(created).isEmpty();
            assertThat(admin.listTopics().names().get()).isEqualTo(before);
        }
    }
}
