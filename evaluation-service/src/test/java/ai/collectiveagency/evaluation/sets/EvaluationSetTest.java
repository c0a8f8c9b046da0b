package ai.collectiveagency.evaluation.sets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.schemas.TaskMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationSetTest {

    @Test
    void theShippedSetsAreHeldOutTasksOfOneModeEach() {
        EvaluationSet negotiation = EvaluationSet.load("negotiation-v1");
        EvaluationSet openEnded = EvaluationSet.load("open-ended-v1");

        assertThat(negotiation.id()).isEqualTo("negotiation-v1");
        assertThat(negotiation.mode()).isEqualTo(TaskMode.NEGOTIATION);
        assertThat(openEnded.mode()).isEqualTo(TaskMode.SINGLE);
        assertThat(negotiation.tasks()).hasSize(32).allMatch(PromptTask::getHeldOut);
        assertThat(openEnded.tasks()).hasSize(32).allMatch(PromptTask::getHeldOut);
        assertThat(EvaluationSet.load("tiny-negotiation-v1").mode())
                .isEqualTo(TaskMode.NEGOTIATION);
        assertThat(EvaluationSet.load("tiny-open-ended-v1").tasks()).hasSize(32)
                .allMatch(task -> task.getMode() == TaskMode.SINGLE && task.getHeldOut());
        assertThat(negotiation.first(16).tasks()).hasSize(16)
                .containsExactlyElementsOf(negotiation.tasks().subList(0, 16));
    }

    @Test
    void aUsersFileNamesItsVersionAndHoldsOneMode(@TempDir Path dir) throws IOException {
        Path shipped = dir.resolve("mine-v3.jsonl");
        Files.writeString(shipped, String.join("\n", Files.readAllLines(Path.of(
                "src/main/resources/evaluation-sets/negotiation-v1.jsonl")).subList(0, 2)));

        assertThat(EvaluationSet.load(shipped.toString()).id()).isEqualTo("mine-v3");

        Path unversioned = Files.copy(shipped, dir.resolve("mine.jsonl"));
        assertThatThrownBy(() -> EvaluationSet.load(unversioned.toString()))
                .hasMessageContaining("<name>-v<version>.jsonl");
        Path mixed = dir.resolve("mixed-v1.jsonl");
        Files.writeString(mixed, Files.readAllLines(shipped).get(0) + "\n" + Files.readAllLines(
                Path.of("src/main/resources/evaluation-sets/open-ended-v1.jsonl")).get(0));
        assertThatThrownBy(() -> EvaluationSet.load(mixed.toString()))
                .hasMessageContaining("mixes modes");
        Path broken = dir.resolve("broken-v1.jsonl");
        Files.writeString(broken, "{\"task_id\": 1}\n");
        assertThatThrownBy(() -> EvaluationSet.load(broken.toString()))
                .hasMessageContaining("broken-v1 line 1");
        assertThatThrownBy(() -> EvaluationSet.load("nowhere-v1"))
                .hasMessageContaining("neither a shipped set");
    }
}
