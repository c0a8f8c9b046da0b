package ai.collectiveagency.evaluation.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.selfplay.TestTasks;
import ai.collectiveagency.selfplay.checkpoint.TestCheckpoints;
import ai.collectiveagency.selfplay.checkpoint.TestKeys;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateCommandTest {

    private static final String NEGOTIATIONS =
            "src/test/resources/evaluation-sets/short-negotiation-v1.jsonl";
    private static final String ANSWERS =
            "src/test/resources/evaluation-sets/short-open-ended-v1.jsonl";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return EvaluateCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
    }

    @Test
    void helpNamesEveryOption() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--checkpoint", "--against",
                "--set", "--judge-url", "--judge-model", "--json");
    }

    /** A run's checkpoint folder against the base model: JSON lines as metrics.jsonl has them. */
    @Test
    void aCheckpointFolderAgainstTheBaseModelPrintsItsWinRates(@TempDir Path runs)
            throws Exception {
        Path folder = runs.resolve("demo-run/checkpoints/v000005");
        Files.createDirectories(folder.getParent());
        TestCheckpoints.lora(folder, 5, TestKeys.generate().signer());

        int code = run("--checkpoint", folder.toString(), "--model", TestTasks.MODEL.toString(),
                "--prompts", "../selfplay/src/test/resources/compact-prompts",
                "--set", NEGOTIATIONS + "," + ANSWERS, "--max-turns", "3", "--turn-tokens",
                "12", "--resolution-tokens", "12", "--json");

        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).strip().split("\n")) {
            lines.add(new ObjectMapper().readTree(line));
        }
        assertThat(lines).hasSize(4).allSatisfy(line -> {
            assertThat(line.get("type").asText()).isEqualTo("evaluation");
            assertThat(line.get("evaluation").asText()).isEqualTo("win-rate");
            assertThat(line.get("policy_version").asLong()).isEqualTo(5);
            assertThat(line.get("against").asText()).isEqualTo("base");
            assertThat(line.get("n").asInt()).isEqualTo(2);
            double rate = line.get("win_rate").asDouble();
            assertThat(line.get("ci_low").asDouble()).isBetween(0.0, rate);
            assertThat(line.get("ci_high").asDouble()).isBetween(rate, 1.0);
        });
        assertThat(lines).extracting(line -> line.get("set").asText() + " "
                + line.get("decoding").asText()).containsExactly(
                "short-negotiation-v1 greedy", "short-negotiation-v1 sampled",
                "short-open-ended-v1 greedy", "short-open-ended-v1 sampled");
        assertThat(err.toString(StandardCharsets.UTF_8)).as("the progress bar")
                .contains("evaluate");
    }

    @Test
    void anotherRunsCheckpointIsNamedByItsRunAndVersion(@TempDir Path runs) {
        Path folder = runs.resolve("single-agent/checkpoints/v000003");
        TestCheckpoints.lora(folder, 3, TestKeys.generate().signer());

        int code = run("--checkpoint", "base", "--against", folder.toString(), "--model",
                TestTasks.MODEL.toString(), "--prompts",
                "../selfplay/src/test/resources/compact-prompts", "--set", ANSWERS,
                "--decoding", "greedy", "--resolution-tokens", "12", "--json");

        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains(
                "\"against\":\"single-agent/v3\"");
    }

    @Test
    void aFolderThatFailsItsManifestIsRefusedWithItsName(@TempDir Path runs) {
        Path folder = runs.resolve("v000004");
        TestCheckpoints.lora(folder, 4, TestKeys.generate().signer());
        TestCheckpoints.tamper(folder);

        int code = run("--checkpoint", folder.toString(), "--model", TestTasks.MODEL.toString(),
                "--set", ANSWERS);

        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(folder.toString());
    }
}
