package ai.collectiveagency.rollout.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.kafka.quarkus.LocalKafkaTestResource;
import ai.collectiveagency.policy.Policy;
import ai.collectiveagency.selfplay.TeacherForcing;
import ai.collectiveagency.selfplay.TestTasks;
import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.schemas.RolloutGroup;
import ai.collectiveagency.schemas.Segment;
import ai.collectiveagency.schemas.TaskMode;
import ai.collectiveagency.schemas.Trajectory;
import ai.collectiveagency.schemas.Turn;
import ai.collectiveagency.schemas.kafka.PromptTaskSerializer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The service on the real broker with {@code qwen2-tiny-random} (the {@code %test} profile: G=2,
 * T=3, 8 tokens a turn, the compact prompts): tasks in, one group per task out, keyed by task id,
 * with token ids and log-probs the policy library recomputes. ({@link DeadLetterTest}: what
 * ends in the DLQ.)
 */
@QuarkusTest
@WithTestResource(LocalKafkaTestResource.class)
class RolloutServiceTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "rollout.group-size")
    int groupSize;

    @Test
    void tasksInGroupsOutWithLogprobsTheLibraryRecomputes() {
        List<PromptTask> tasks = List.of(
                TestTasks.task("svc-n-1", TaskMode.NEGOTIATION, 11),
                TestTasks.task("svc-s-2", TaskMode.SINGLE, 12),
                TestTasks.task("svc-n-3", TaskMode.NEGOTIATION, 13));
        try (KafkaProducer<String, PromptTask> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", bootstrapServers), new StringSerializer(),
                new PromptTaskSerializer())) {
            tasks.forEach(t -> producer.send(
                    new ProducerRecord<>(TopicClients.PROMPTS, t.getTaskId(), t)));
        }

        // Other tests share the broker (and so the rollouts topic): read only these tasks' groups.
        List<ConsumerRecord<String, RolloutGroup>> records = new TopicClients(bootstrapServers)
                .groups(tasks.stream().map(PromptTask::getTaskId).toList());

        assertThat(records).extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder("svc-n-1", "svc-s-2", "svc-n-3");
        try (Policy policy = Policy.load(TestTasks.MODEL)) {
            for (ConsumerRecord<String, RolloutGroup> record : records) {
                RolloutGroup group = record.value();
                assertThat(group.getTask().getTaskId()).isEqualTo(record.key());
                assertThat(group.getTrajectories()).hasSize(groupSize);
                for (Trajectory trajectory : group.getTrajectories()) {
                    assertThat(trajectory.getPolicyVersion()).isZero();
                    for (Turn turn : trajectory.getTurns()) {
                        assertRecomputed(policy, turn);
                    }
                    if (group.getTask().getMode() == TaskMode.SINGLE) {
                        assertThat(trajectory.getTurns()).extracting(Turn::getSegment)
                                .containsExactly(Segment.ANSWER);
                    }
                }
            }
        }
    }

    private static void assertRecomputed(Policy policy, Turn turn) {
        int[] prompt = turn.getPromptTokenIds().stream().mapToInt(Integer::intValue).toArray();
        int[] completion = turn.getCompletionTokenIds().stream().mapToInt(Integer::intValue)
                .toArray();
        float[] expected = TeacherForcing.logprobs(policy.model(), prompt, completion,
                turn.getTemperature());
        assertThat(turn.getCompletionLogprobs()).hasSize(completion.length);
        for (int t = 0; t < completion.length; t++) {
            assertThat(turn.getCompletionLogprobs().get(t)).isCloseTo(expected[t], within(1e-4f));
        }
    }
}
