package ai.collectiveagency.reward.messaging;

import static ai.collectiveagency.llm.ScriptedChatServer.status;
import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.kafka.quarkus.LocalKafkaTestResource;
import ai.collectiveagency.llm.ScriptedChatServer;
import ai.collectiveagency.scoring.TestData;
import ai.collectiveagency.schemas.ScoredGroup;
import ai.collectiveagency.schemas.TrajectoryScore;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A judge that never comes back ({@code reward.on-outage=wait}): the group is held only for
 * {@code reward.outage-max-hold}, then sent with its trajectories flagged unscorable, the reason
 * saying it was held and why, instead of blocking the stream for ever.
 */
@QuarkusTest
@WithTestResource(LocalKafkaTestResource.class)
@TestProfile(JudgeOutageExpiryTest.JudgeNeverBack.class)
class JudgeOutageExpiryTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void aGroupHeldLongerThanTheMaximumGoesOutFlaggedWithTheReason() {
        TopicIo io = new TopicIo(bootstrapServers);
        io.sendGroups(List.of(TestData.group("e-1", "we share the water")));

        List<ConsumerRecord<String, ScoredGroup>> scored = io.scored(1, Duration.ofSeconds(60));

        assertThat(scored).hasSize(1);
        TrajectoryScore score = scored.get(0).value().getScores().get(0);
        assertThat(score.getUnscorable()).isTrue();
        assertThat(score.getUnscorableReason())
                .startsWith("judge unreachable, held ")
                .contains("reward.outage-max-hold")
                .contains("503");
    }

    /** The judge at a scripted server that answers 503 for ever; hold at most one second. */
    public static final class JudgeNeverBack implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(
                    Map.entry("reward.scorers.onnx", "0"),
                    Map.entry("reward.scorers.judge", "1"),
                    Map.entry("reward.judge.model", "absent-judge"),
                    Map.entry("reward.judge.max-retries", "0"),
                    Map.entry("reward.judge.timeout", "2s"),
                    Map.entry("reward.on-outage", "wait"),
                    Map.entry("reward.outage-retry-delay", "300ms"),
                    Map.entry("reward.outage-max-hold", "1s"));
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(AlwaysDown.class));
        }
    }

    /** 503 for every request. */
    public static final class AlwaysDown implements QuarkusTestResourceLifecycleManager {
        private ScriptedChatServer server;

        @Override
        public Map<String, String> start() {
            try {
                server = new ScriptedChatServer();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.then(status(503, "down"));
            return Map.of("reward.judge.base-url", server.baseUrl().toString());
        }

        @Override
        public void stop() {
            if (server != null) {
                server.close();
            }
        }
    }
}
