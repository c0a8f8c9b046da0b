package ai.collectiveagency.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A PromptTask per JSON line: what {@code ./pipeline prompts} writes, evaluation sets read. */
class PromptTaskJsonTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void aLineIsOneJsonObjectInAvrosEncodingAndReadsBackAsTheSameTask() throws IOException {
    PromptTask task = Samples.promptTask();

    String line = PromptTaskJson.line(task);
    JsonNode json = JSON.readTree(line);

    assertThat(line).doesNotContain("\n");
    assertThat(json.get("task_id").asText()).isEqualTo("task-1");
    assertThat(json.get("mode").asText()).isEqualTo("NEGOTIATION");
    assertThat(json.get("created_at").asLong()).isEqualTo(Samples.AT.toEpochMilli());
    assertThat(json.get("provenance").get("model").get("string").asText())
        .isEqualTo("qwen2-tiny-random");
    assertThat(PromptTaskJson.parse(line)).isEqualTo(task);
  }

  @Test
  void aLineOfTheFirstReleaseReadsWithTheDefaultsOfTheFieldsAddedSince() throws IOException {
    ObjectNode v1 = (ObjectNode) JSON.readTree(PromptTaskJson.line(Samples.promptTask()));
    v1.remove(List.of("language", "tags"));

    PromptTask read = PromptTaskJson.parse(JSON.writeValueAsString(v1));

    assertThat(read.getTaskId()).isEqualTo("task-1");
    assertThat(read.getLanguage()).isEqualTo("en");
    assertThat(read.getTags()).isEmpty();
  }

  @Test
  void aLineThatHoldsNoTaskIsRefusedSayingWhy() {
    assertThatThrownBy(() -> PromptTaskJson.parse("{\"task_id\": \"t\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a PromptTask");
  }

  @Test
  void aFileIsReadInOrderSkippingBlankLines() throws IOException {
    PromptTask first = Samples.promptTask();
    PromptTask second = Samples.promptTask();
    second.setTaskId("task-2");
    Path file = dir.resolve("set.jsonl");
    Files.writeString(file, PromptTaskJson.line(first) + "\n\n" + PromptTaskJson.line(second)
        + "\n", StandardCharsets.UTF_8);

    assertThat(PromptTaskJson.read(file)).containsExactly(first, second);
  }

  @Test
  void aBadLineInAFileIsNamedByFileAndLine() throws IOException {
    Path file = dir.resolve("set.jsonl");
    Files.writeString(file, PromptTaskJson.line(Samples.promptTask()) + "\nnot json\n",
        StandardCharsets.UTF_8);

    assertThatThrownBy(() -> PromptTaskJson.read(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(file + ":2: ");
  }
}
