package ai.collectiveagency.rollout.checkpoint;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.collectiveagency.kafka.LocalKafka;
import ai.collectiveagency.schemas.PolicyCheckpoint;
import ai.collectiveagency.schemas.kafka.KafkaClientSettings;
import ai.collectiveagency.schemas.kafka.PolicyCheckpointDeserializer;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.PipelineClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * On a secured broker, a checkpoint reader that may not read fails the service's start with the
 * broker's refusal, instead of warning and serving the base model for good.
 */
class CheckpointReaderSecurityTest {

    private static final Duration STARTUP = Duration.ofSeconds(20);
    private static LocalKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = LocalKafka.startTemporarySecure();
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aReaderWhoseLoginIsRefusedFailsTheStart() {
        KafkaClientSettings rollout = kafka.clientSettings(PipelineClient.ROLLOUT_SERVICE);
        KafkaClientSettings wrong = rollout.with(SaslConfigs.SASL_JAAS_CONFIG, rollout.asMap()
                .get(SaslConfigs.SASL_JAAS_CONFIG).toString()
                .replaceAll("password=\"[^\"]+\"", "password=\"stale\""));

        try (CheckpointTopicReader<PolicyCheckpoint> reader = reader(wrong)) {
            assertThatThrownBy(() -> reader.readToEnd(STARTUP))
                    .isInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void aReaderWithoutTheRightToReadTheTopicFailsTheStart() {
        try (CheckpointTopicReader<PolicyCheckpoint> reader = reader(
                kafka.clientSettings(PipelineClient.REWARD_SERVICE))) {
            assertThatThrownBy(() -> reader.readToEnd(STARTUP))
                    .isInstanceOf(TopicAuthorizationException.class);
        }
    }

    private static CheckpointTopicReader<PolicyCheckpoint> reader(KafkaClientSettings settings) {
        return CheckpointTopicReader.checkpoints(settings,
                kafka.catalogue().name(LogicalTopic.CHECKPOINTS),
                new PolicyCheckpointDeserializer(),
                new CheckpointMetrics(new SimpleMeterRegistry()));
    }
}
