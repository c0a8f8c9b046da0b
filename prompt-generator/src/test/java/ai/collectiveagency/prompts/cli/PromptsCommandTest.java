package ai.collectiveagency.prompts.cli;

import static ai.collectiveagency.llm.ScriptedChatServer.answer;
import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.llm.ScriptedChatServer;
import ai.collectiveagency.prompts.llm.TaskAnswers;
import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.schemas.PromptTaskJson;
import ai.collectiveagency.schemas.TaskMode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PromptsCommandTest {

    private static final String T0 = "2026-01-01T00:00:00Z";

    @TempDir
    Path dir;

    private record Result(int exit, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    private static Result run(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int exit = PromptsCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(exit, out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void jsonLinesParseBackToTheGeneratedCount() throws IOException {
        Result r = run("--count", "40", "--seed", "3", "--created-at", T0);
        assertThat(r.exit()).isZero();
        assertThat(r.lines()).hasSize(40);
        ObjectMapper json = new ObjectMapper();
        for (String line : r.lines()) {
            JsonNode node = json.readTree(line);
            assertThat(node.get("task_id").asText()).startsWith("comb-3-");
            assertThat(node.at("/persona_a/values/0").asText()).isNotBlank();
            PromptTask task = PromptTaskJson.parse(line);
            assertThat(PromptTaskJson.line(task)).isEqualTo(line);
        }
        assertThat(r.err().strip().lines().reduce((a, b) -> b).orElseThrow())
                .isEqualTo("generated 40, dropped 0 as near-duplicates, wrote 40");
    }

    @ParameterizedTest
    @CsvSource({"'', NEGOTIATION", "'--negotiation-share 0', SINGLE"})
    void byDefaultEveryTaskIsANegotiationAndShareZeroGivesSingleTasksOnly(String option,
            TaskMode mode) {
        List<String> args = new ArrayList<>(List.of("--count", "60", "--seed", "4"));
        if (!option.isEmpty()) {
            args.addAll(List.of(option.split(" ")));
        }
        Result r = run(args.toArray(String[]::new));
        assertThat(r.exit()).isZero();
        assertThat(r.lines()).hasSize(60)
                .allSatisfy(l -> assertThat(PromptTaskJson.parse(l).getMode()).isEqualTo(mode));
    }

    @Test
    void pinnedCreationTimeGivesByteIdenticalOutput() {
        String[] args = {"--count", "25", "--seed", "9", "--created-at", T0};
        assertThat(run(args).out()).isEqualTo(run(args).out());
    }

    @Test
    void outOptionWritesAFileThatReadsBackAsAnEvaluationSet() {
        Path file = dir.resolve("tasks.jsonl");
        Result r = run("--count", "10", "--out", file.toString(), "--held-out-share", "1");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEmpty();
        List<PromptTask> set = PromptTaskJson.read(file);
        assertThat(set).hasSize(10).allSatisfy(task -> assertThat(task.getHeldOut()).isTrue());
    }

    @Test
    void seedsFolderFeedsTheTasks() throws IOException {
        Files.writeString(dir.resolve("domains.txt"), "lighthouse keeping\n");
        Result r = run("--count", "5", "--seeds", dir.toString(), "--replace-seeds");
        assertThat(r.exit()).isZero();
        assertThat(r.lines()).allSatisfy(l ->
                assertThat(PromptTaskJson.parse(l).getScenario().getDomain())
                        .isEqualTo("lighthouse keeping"));
    }

    @Test
    void malformedSeedFileExitsWith2NamingFileAndLine() throws IOException {
        Path file = dir.resolve("archetypes.txt");
        Files.writeString(file, "baker | bread\n");
        Result r = run("--count", "5", "--seeds", dir.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: " + file + ":1: ");
    }

    @Test
    void shareOutOfRangeIsReportedByItsOptionName() {
        assertThat(run("--count", "5", "--negotiation-share", "2").err())
                .isEqualTo("error: --negotiation-share must lie in [0, 1], was 2.0\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "--count 0", "--count x", "--count 5 --source llm",
        "--count 5 --negotiation-share 1.5", "--count 5 --held-out-share -0.1",
        "--count 5 --seeds /no/such/folder", "--count 5 --bogus"})
    void badArgumentsExitWith2AndOneErrorLine(String args) {
        Result r = run(args.isEmpty() ? new String[0] : args.split(" "));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines().toList()).singleElement()
                .satisfies(line -> assertThat(line).startsWith("error: "));
    }

    @Test
    void llmSourceWritesTheModelsTasksAndCountsTheDroppedOnes() throws Exception {
        try (ScriptedChatServer server = new ScriptedChatServer()) {
            server.then(answer(TaskAnswers.valid(0)), answer(TaskAnswers.prose()),
                    answer(TaskAnswers.prose()), answer(TaskAnswers.valid(1)));
            var out = new ByteArrayOutputStream();
            var err = new ByteArrayOutputStream();

            int exit = PromptsCommand.run(new String[] {"--count", "2", "--seed", "5",
                "--source", "llm", "--llm-url", server.baseUrl().toString(),
                "--llm-model", "writer", "--llm-retries", "1", "--created-at", T0},
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8),
                    Map.of("OPENAI_API_KEY", "sk-cli"));

            assertThat(exit).isZero();
            List<PromptTask> tasks = out.toString(StandardCharsets.UTF_8).lines()
                    .map(PromptTaskJson::parse).toList();
            assertThat(tasks).extracting(PromptTask::getTaskId).containsExactly("llm-5-0");
            assertThat(tasks.get(0).getScenario().getDomain()).isEqualTo("farming");
            assertThat(err.toString(StandardCharsets.UTF_8)).contains(
                    "llm: 3 requests, 1 answered, 1 dropped (invalid_json 1), 1 retried");
            assertThat(server.headers().get(0).get("Authorization"))
                    .containsExactly("Bearer sk-cli");
        }
    }

    @Test
    void llmSourceWithoutAnEndpointIsAUsageError() {
        Result r = run("--count", "2", "--source", "llm");

        assertThat(r.exit()).isEqualTo(PromptsCommand.USAGE);
        assertThat(r.err()).contains("error: --source llm needs --llm-url and --llm-model");
    }
}
