package ai.collectiveagency.reward.messaging;

import static ai.collectiveagency.llm.ScriptedChatServer.answer;
import static ai.collectiveagency.llm.ScriptedChatServer.status;
import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.kafka.quarkus.LocalKafkaTestResource;
import ai.collectiveagency.llm.ScriptedChatServer;
import ai.collectiveagency.scoring.TestData;
import ai.collectiveagency.schemas.ScoredGroup;
import ai.collectiveagency.schemas.TrajectoryScore;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The service with the CA judge over a real HTTP server that is down for a while
 * ({@code reward.on-outage=wait}): the group is held, not lost and not flagged; when the judge
 * answers again it is scored and sent, and the wait is counted, and the judge's circuit breaker
 * publishes its state.
 */
@QuarkusTest
@WithTestResource(LocalKafkaTestResource.class)
@TestProfile(JudgeOutageTest.WaitingJudge.class)
class JudgeOutageTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @TestHTTPResource(value = "/metrics", management = true)
    URI metrics;

    @Test
    void aGroupWaitsOutTheJudgesOutageAndIsScoredWhenItReturns() throws Exception {
        TopicIo io = new TopicIo(bootstrapServers);
        io.sendGroups(List.of(TestData.group("o-1", "we share the water")));

        List<ConsumerRecord<String, ScoredGroup>> scored = io.scored(1, Duration.ofSeconds(60));

        assertThat(scored).hasSize(1);
        TrajectoryScore score = scored.get(0).value().getScores().get(0);
        assertThat(score.getUnscorable()).isFalse();
        assertThat(score.getReward()).isEqualTo(2.5);
        assertThat(scored.get(0).value().getScorerId()).isEqualTo("judge:ca@outage-judge");
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(metrics).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(body).containsPattern("(?m)^reward_outage_retries_total [1-9]");
        assertThat(body).containsPattern(
                "(?m)^reward_judge_failures_total\\{[^}]*reason=\"http_status\"[^}]*} [1-9]");
        // The judge's circuit breaker state, tagged with the guard's description: what the
        // JudgeCircuitOpen alert of k8s/base/monitoring watches.
        assertThat(body).containsPattern("(?m)^ft_circuitbreaker_state_current\\{"
                + "[^}]*method=\"ca_scores@outage-judge\"[^}]*state=\"open\"[^}]*} 0\\.0$");
    }

    /** The judge at the scripted server, groups held while it is down. */
    public static final class WaitingJudge implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(
                    Map.entry("reward.scorers.onnx", "0"),
                    Map.entry("reward.scorers.judge", "1"),
                    Map.entry("reward.judge.model", "outage-judge"),
                    Map.entry("reward.judge.max-retries", "0"),
                    Map.entry("reward.judge.timeout", "2s"),
                    Map.entry("reward.on-outage", "wait"),
                    Map.entry("reward.outage-retry-delay", "300ms"));
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(DownThenUp.class));
        }
    }

    /** Three 503s, then a valid CA verdict for ever. */
    public static final class DownThenUp implements QuarkusTestResourceLifecycleManager {
        private ScriptedChatServer server;

        @Override
        public Map<String, String> start() {
            try {
                server = new ScriptedChatServer();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.then(status(503, "down"), status(503, "down"), status(503, "down"),
                    answer(TestData.caAnswer(3, 3, 2, 2)));
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
