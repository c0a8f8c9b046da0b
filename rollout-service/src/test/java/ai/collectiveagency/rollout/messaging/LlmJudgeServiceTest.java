package ai.collectiveagency.rollout.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.kafka.quarkus.LocalKafkaTestResource;
import ai.collectiveagency.selfplay.TestTasks;
import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.schemas.RolloutGroup;
import ai.collectiveagency.schemas.Segment;
import ai.collectiveagency.schemas.TaskMode;
import ai.collectiveagency.schemas.Trajectory;
import ai.collectiveagency.schemas.Turn;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The service on the real broker with {@code rollout.agreement.judge=llm}, the judge a scripted
 * OpenAI-compatible server that finds every dialogue agreed: groups still flow, and every
 * negotiation stops after A's opening turn (agreement is checked after every turn, the first
 * included) with persona A's resolution.
 */
@QuarkusTest
@TestProfile(LlmJudgeProfile.class)
@WithTestResource(LocalKafkaTestResource.class)
class LlmJudgeServiceTest {

    private static final Pattern REQUESTS =
            Pattern.compile("(?m)^rollout_agreement_llm_requests_total(?:\\{[^}]*})? (\\S+)$");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @TestHTTPResource(value = "/metrics", management = true)
    URI metrics;

    @Test
    void agreedVerdictsFromTheLlmJudgeEndInResolutions() throws Exception {
        List<PromptTask> tasks = List.of(
                TestTasks.task("llm-n-1", TaskMode.NEGOTIATION, 21),
                TestTasks.task("llm-n-2", TaskMode.NEGOTIATION, 22));
        TopicClients topics = new TopicClients(bootstrapServers);
        topics.sendTasks(tasks);

        List<ConsumerRecord<String, RolloutGroup>> records = topics.groups(List.of("llm-n-1", "llm-n-2"));

        assertThat(records).extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder("llm-n-1", "llm-n-2");
        for (ConsumerRecord<String, RolloutGroup> record : records) {
            for (Trajectory trajectory : record.value().getTrajectories()) {
                assertThat(trajectory.getAgreementReached()).isTrue();
                assertThat(trajectory.getFailed()).isFalse();
                assertThat(trajectory.getRounds()).isEqualTo(1);
                assertThat(trajectory.getTurns()).extracting(Turn::getSegment).containsExactly(
                        Segment.PERSONA_A, Segment.RESOLUTION);
            }
        }
        assertThat(judgeRequests()).isGreaterThanOrEqualTo(4.0);
    }

    private double judgeRequests() throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(metrics).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher matcher = REQUESTS.matcher(body);
        assertThat(matcher.find()).as("rollout_agreement_llm_requests_total in %s", metrics)
                .isTrue();
        return Double.parseDouble(matcher.group(1));
    }
}
