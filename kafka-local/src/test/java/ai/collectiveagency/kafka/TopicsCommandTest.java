package ai.collectiveagency.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import ai.collectiveagency.schemas.topics.TopicSpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code ./pipeline topics}: the catalogue as it is, under the prefix asked for. */
class TopicsCommandTest {

    @Test
    void jsonListsEveryTopicWithItsSizesWritersAndReaders() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = new CommandLine(new TopicsCommand(new PrintStream(bytes, true,
                StandardCharsets.UTF_8))).execute("--prefix", "team-a.", "--json");
        JsonNode topics = new ObjectMapper().readTree(bytes.toString(StandardCharsets.UTF_8));

        assertThat(exit).isZero();
        TopicCatalogue catalogue = TopicCatalogue.withPrefix("team-a.");
        List<String> names = new ArrayList<>();
        topics.forEach(t -> names.add(t.get("name").asText()));
        assertThat(names).containsExactlyElementsOf(
                catalogue.all().stream().map(TopicSpec::name).toList());
        JsonNode prompts = topics.get(0);
        TopicSpec spec = catalogue.spec(LogicalTopic.PROMPTS);
        assertThat(prompts.get("name").asText()).isEqualTo("team-a.prompts");
        assertThat(prompts.get("partitions").asInt()).isEqualTo(spec.partitions());
        assertThat(prompts.get("cleanup_policy").asText()).isEqualTo("delete");
        assertThat(prompts.get("retention_ms").asLong()).isEqualTo(spec.retentionMs());
        assertThat(prompts.get("max_message_bytes").asInt()).isEqualTo(spec.maxMessageBytes());
        // The operator writes the topics it replays dead letters to.
        assertThat(prompts.get("writers").toString())
                .isEqualTo("[\"operator\",\"prompt-generator\"]");
        assertThat(prompts.get("readers").get(0).toString()).isEqualTo(
                "{\"client\":\"rollout-service\",\"group\":\"rollout-service\","
                        + "\"transactional\":true}");
        JsonNode checkpoints = topics.get(3);
        assertThat(checkpoints.get("cleanup_policy").asText()).isEqualTo("compact");
        assertThat(checkpoints.get("readers").get(0).get("group").isNull()).isTrue();
        // The evaluation-service commits how far it has evaluated, in a group of its own.
        assertThat(checkpoints.get("readers").get(1).toString()).isEqualTo(
                "{\"client\":\"evaluation-service\",\"group\":\"evaluation-service\","
                        + "\"transactional\":false}");
        assertThat(topics.get(4).get("writers").toString())
                .isEqualTo("[\"evaluation-service\",\"trainer-service\"]");
    }

    @Test
    void theTableHasOneLinePerTopic() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new CommandLine(new TopicsCommand(new PrintStream(bytes, true, StandardCharsets.UTF_8)))
                .execute();
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();

        assertThat(lines).hasSize(1 + TopicCatalogue.defaults().all().size());
        assertThat(lines.get(1)).startsWith(TopicCatalogue.defaults().name(LogicalTopic.PROMPTS))
                .contains("prompt-generator", "rollout-service (rollout-service, transactional)");
    }
}
