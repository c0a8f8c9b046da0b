package ai.collectiveagency.rollout.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.kafka.quarkus.LocalKafkaTestResource;
import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.schemas.RolloutGroup;
import ai.collectiveagency.schemas.Segment;
import ai.collectiveagency.schemas.TaskMode;
import ai.collectiveagency.schemas.Trajectory;
import ai.collectiveagency.schemas.Turn;
import ai.collectiveagency.schemas.kafka.PromptTaskDeserializer;
import ai.collectiveagency.selfplay.TestTasks;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The service on the real broker with {@code rollout.generation=remote} and a scripted
 * vLLM-compatible engine ({@link ScriptedEngineResource}): a task whose requests the engine keeps
 * refusing ends on the prompts DLQ with the engine's failure as the reason, and a task it answers
 * becomes a group whose turns carry exactly the token ids and log-probs the engine sent.
 */
@QuarkusTest
@TestProfile(RemoteGenerationProfile.class)
@WithTestResource(LocalKafkaTestResource.class)
class RemoteGenerationServiceTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "rollout.remote.urls")
    String engineUrl;

    @Test
    void aTaskTheEngineKeepsFailingEndsOnTheDlqNamingTheEngineAndItsStatus() {
        TopicClients topics = new TopicClients(bootstrapServers);
        PromptTask task = TestTasks.task("remote-down", TaskMode.NEGOTIATION, 41);
        topics.sendTasks(List.of(task));

        List<ConsumerRecord<String, byte[]>> dead = topics.deadLetters(List.of("remote-down"));

        assertThat(dead).hasSize(1);
        String reason = header(dead.get(0), "dead-letter-reason");
        assertThat(reason).contains("failed 2 times").contains("engine")
                .contains(engineUrl + "/v1/completions").contains("503")
                .contains("the engine is down");
        try (PromptTaskDeserializer tasks = new PromptTaskDeserializer()) {
            assertThat(tasks.deserialize(TopicClients.PROMPTS_DLQ, dead.get(0).value()))
                    .isEqualTo(task);
        }
    }

    @Test
    void theEnginesTokenIdsAndLogprobsAreWhatTheTrajectoriesRecord() {
        TopicClients topics = new TopicClients(bootstrapServers);
        topics.sendTasks(List.of(TestTasks.task("remote-answered", TaskMode.SINGLE, 42)));

        List<ConsumerRecord<String, RolloutGroup>> groups =
                topics.groups(List.of("remote-answered"));

        assertThat(groups).singleElement().satisfies(group -> {
            assertThat(group.value().getTrajectories()).hasSize(2);
            for (Trajectory trajectory : group.value().getTrajectories()) {
                assertThat(trajectory.getTurns()).singleElement().satisfies(turn -> answer(turn));
            }
        });
    }

    private static void answer(Turn turn) {
        assertThat(turn.getSegment()).isEqualTo(Segment.ANSWER);
        assertThat(turn.getCompletionTokenIds()).containsExactlyElementsOf(
                Arrays.stream(ScriptedEngineResource.ANSWER).boxed().toList());
        assertThat(turn.getCompletionLogprobs()).containsExactly(-0.25f, -1.5f, -0.125f);
        assertThat(turn.getFinishReason()).isEqualTo("stop");
        assertThat(turn.getPromptTokenIds()).isNotEmpty();
    }

    private static String header(ConsumerRecord<String, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        assertThat(header).as("header %s on %s", name, record.key()).isNotNull();
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
