package ai.collectiveagency.rollout.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.kafka.quarkus.LocalKafkaTestResource;
import ai.collectiveagency.selfplay.TestTasks;
import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.schemas.RolloutGroup;
import ai.collectiveagency.schemas.TaskMode;
import ai.collectiveagency.schemas.kafka.PromptTaskDeserializer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Records the service cannot handle end on the prompts topic's DLQ with a
 * {@code dead-letter-reason} header, and the valid tasks around them still become groups: bytes
 * that are not a {@code PromptTask} (the connector's deserialization failure), and a task whose
 * first prompt cannot fit the model's 256 positions (the reason names the token counts).
 */
@QuarkusTest
@WithTestResource(LocalKafkaTestResource.class)
class DeadLetterTest {

    private static final byte[] GARBAGE = {0x00, 0x13, (byte) 0xff, (byte) 0xfe, 0x7f, 0x42};

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void undecodableAndTooLongTasksGoToTheDlqWhileValidOnesBecomeGroups() {
        TopicClients topics = new TopicClients(bootstrapServers);
        PromptTask tooLong = TestTasks.task("dlq-too-long", TaskMode.NEGOTIATION, 32,
                "The river floods every spring and the farms argue. ".repeat(200));
        topics.sendTasks(List.of(TestTasks.task("dlq-valid-1", TaskMode.NEGOTIATION, 31)));
        topics.sendRaw("dlq-garbage", GARBAGE);
        topics.sendTasks(List.of(tooLong, TestTasks.task("dlq-valid-2", TaskMode.SINGLE, 33)));

        List<ConsumerRecord<String, RolloutGroup>> groups =
                topics.groups(List.of("dlq-valid-1", "dlq-valid-2"));
        Map<String, ConsumerRecord<String, byte[]>> dead = topics.deadLetters(
                List.of("dlq-garbage", "dlq-too-long")).stream()
                .collect(Collectors.toMap(ConsumerRecord::key, Function.identity()));

        assertThat(groups).extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder("dlq-valid-1", "dlq-valid-2");
        assertThat(dead).containsOnlyKeys("dlq-garbage", "dlq-too-long");

        ConsumerRecord<String, byte[]> garbage = dead.get("dlq-garbage");
        assertThat(garbage.value()).containsExactly(GARBAGE);
        assertThat(header(garbage, "dead-letter-reason")).contains("PromptTask");
        assertThat(header(garbage, "dead-letter-topic")).isEqualTo(TopicClients.PROMPTS);

        ConsumerRecord<String, byte[]> longTask = dead.get("dlq-too-long");
        assertThat(header(longTask, "dead-letter-reason"))
                .matches("task dlq-too-long: first prompt of \\d+ tokens \\+ \\d+ new tokens "
                        + "exceeds the model's 256 positions");
        try (PromptTaskDeserializer tasks = new PromptTaskDeserializer()) {
            assertThat(tasks.deserialize(TopicClients.PROMPTS_DLQ, longTask.value()))
                    .isEqualTo(tooLong);
        }
    }

    private static String header(ConsumerRecord<String, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        assertThat(header).as("header %s on %s", name, record.key()).isNotNull();
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
