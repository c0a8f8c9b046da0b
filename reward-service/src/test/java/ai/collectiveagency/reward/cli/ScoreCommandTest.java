package ai.collectiveagency.reward.cli;

import static ai.collectiveagency.llm.ScriptedChatServer.answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.llm.ScriptedChatServer;
import ai.collectiveagency.scoring.TestData;
import ai.collectiveagency.scoring.fixtures.Fixtures;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ai.collectiveagency.schemas.PromptTaskJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoreCommandTest {

    private record Result(int exit, String out, String err) {
    }

    private static Result run(Map<String, String> env, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int exit = ScoreCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env);
        return new Result(exit, out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void onnxScoresAsJsonMatchTheFixture() throws Exception {
        Result r = run(Map.of(), "--scorer", "onnx", "--model",
                Fixtures.shipped("reward-tiny-onnx").toString(), "--text", "we cooperate .",
                "--json");

        assertThat(r.exit()).isZero();
        JsonNode line = new ObjectMapper().readTree(r.out().strip());
        assertThat(line.get("reward").asDouble()).isCloseTo(0.249964, within(1e-4));
        assertThat(line.get("scorer_id").asText()).isEqualTo("onnx:reward-tiny-onnx");
    }

    @Test
    void judgeScoresThroughAnOpenAiEndpointWithTheKeyFromTheEnvironment() throws Exception {
        try (ScriptedChatServer server = new ScriptedChatServer()) {
            server.then(answer(TestData.caAnswer(5, 4, 3, 4)));

            Result r = run(Map.of("OPENAI_API_KEY", "sk-x"), "--scorer", "judge", "--url",
                    server.baseUrl().toString(), "--model", "judge-m", "--rubric", "ca",
                    "--text", "Share the water by season.", "--json");

            assertThat(r.exit()).isZero();
            JsonNode line = new ObjectMapper().readTree(r.out().strip());
            assertThat(line.get("reward").asDouble()).isEqualTo(4.0);
            assertThat(line.at("/breakdown/knowledge").asDouble()).isEqualTo(5.0);
            assertThat(server.headers().get(0).get("Authorization")).containsExactly("Bearer sk-x");
        }
    }

    @Test
    void bothSidesScoresTextsAgainstTheTaskFileAndNeedsOne(@TempDir Path dir) throws Exception {
        Path task = dir.resolve("task.jsonl");
        Files.writeString(task, PromptTaskJson.line(TestData.task("t-1")) + "\n");

        Result r = run(Map.of(), "--scorer", "negotiation", "--task", task.toString(),
                "--text", "The farmer gets growth and the miller gets care: we irrigate by "
                        + "day and keep the mill by night, reviewed together each season.",
                "--text", "Both sides win.", "--json");

        assertThat(r.exit()).as(r.err()).isZero();
        List<JsonNode> lines = r.out().lines().map(ScoreCommandTest::json).toList();
        assertThat(lines.get(0).get("scorer_id").asText()).isEqualTo("negotiation:both-sides");
        assertThat(lines.get(0).get("reward").asDouble())
                .isGreaterThan(lines.get(1).get("reward").asDouble());
        assertThat(lines.get(0).get("breakdown").has("both_sides")).isTrue();

        Result withoutTask = run(Map.of(), "--scorer", "negotiation", "--text", "x");
        assertThat(withoutTask.exit()).isEqualTo(ScoreCommand.USAGE);
        assertThat(withoutTask.err()).contains("give --task FILE");
    }

    private static JsonNode json(String line) {
        try {
            return new ObjectMapper().readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aMissingModelFolderIsAUsageErrorNamingTheFile() {
        Result r = run(Map.of(), "--scorer", "onnx", "--model", "no/such", "--text", "x");

        assertThat(r.exit()).isEqualTo(ScoreCommand.USAGE);
        assertThat(r.err()).startsWith("error: no/such/model.onnx: missing");
    }
}
