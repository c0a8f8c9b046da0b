package ai.collectiveagency.policy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.policy.bench.PolicyBenchmark;
import ai.collectiveagency.policy.engine.JitTrapLimit;
import ai.collectiveagency.policy.engine.ModelJvmFlags;
import ai.collectiveagency.policy.fixtures.Fixtures;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.stream.Collectors;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * {@code ./pipeline generate} and {@code ./pipeline logprobs} run end to end on stories260k and
 * qwen3-tiny-random.
 */
class PipelineCommandTest {

    private static final Path STORIES = Fixtures.shipped("stories260k");
    private static final String MODEL = STORIES.toString();

    /** What one command line returned and printed. */
    record Run(int exitCode, String out, String err) {}

    @Test
    void generatePrintsTheGreedyIdsAsJson() throws IOException {
        JsonNode expected = expected().path("greedy").get(0);

        Run run = run("generate", "--model", MODEL, "--prompt-ids", "1", "--greedy",
                "--max-new-tokens", "37", "--json");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().lines()).hasSize(1);
        JsonNode printed = new ObjectMapper().readTree(run.out());
        assertThat(printed.path("ids")).isEqualTo(expected.path("ids"));
        assertThat(printed.path("logprobs").size()).isEqualTo(expected.path("ids").size());
    }

    @Test
    void logprobsPrintsTheTeacherForcedLogprobsAsJson() throws IOException {
        JsonNode expected = expected().path("token_logprobs");
        String ids = StreamSupport.stream(expected.path("input_ids").spliterator(), false)
                .map(JsonNode::asText).collect(Collectors.joining(","));

        Run run = run("logprobs", "--model", MODEL, "--ids", ids, "--json");

        assertThat(run.exitCode()).isZero();
        JsonNode printed = new ObjectMapper().readTree(run.out()).path("logprobs");
        JsonNode reference = expected.path("logprob_of_next");
        assertThat(printed.size()).isEqualTo(reference.size());
        for (int t = 0; t < reference.size(); t++) {
            assertThat(printed.get(t).asDouble()).as("position %d", t)
                    .isCloseTo(reference.get(t).asDouble(), within(1e-4));
        }
    }

    /** Qwen3 through the command line: the tokenizer's ids, then greedy ids and log-probs. */
    @ParameterizedTest
    @MethodSource("qwen3Folders")
    void qwen3GenerateAndLogprobsMatchTheReference(Path dir) throws IOException {
        JsonNode expected = new ObjectMapper().readTree(dir.resolve("expected.json").toFile());
        JsonNode greedy = expected.path("greedy");

        Run generate = run("generate", "--model", dir.toString(), "--prompt",
                expected.path("text").asText(), "--greedy", "--max-new-tokens",
                String.valueOf(greedy.size()), "--json");

        assertThat(generate.exitCode()).as(generate.err()).isZero();
        assertThat(new ObjectMapper().readTree(generate.out()).path("ids")).isEqualTo(greedy);

        String ids = StreamSupport.stream(expected.path("input_ids").spliterator(), false)
                .map(JsonNode::asText).collect(Collectors.joining(","));
        Run logprobs = run("logprobs", "--model", dir.toString(), "--ids", ids, "--json");

        assertThat(logprobs.exitCode()).as(logprobs.err()).isZero();
        JsonNode printed = new ObjectMapper().readTree(logprobs.out()).path("logprobs");
        JsonNode reference = expected.path("token_logprobs").path("logprob_of_next");
        assertThat(printed.size()).isEqualTo(reference.size());
        for (int t = 0; t < reference.size(); t++) {
            assertThat(printed.get(t).asDouble()).as("position %d", t)
                    .isCloseTo(reference.get(t).asDouble(), within(1e-4));
        }
    }

    @Test
    void benchAsyncReasoningReportsBothModesWithTheJsonFieldsLast() throws IOException {
        Run run = run("bench", "async-reasoning", "--model", MODEL, "--thinker-tokens", "60",
                "--writer-tokens", "51", "--check-interval", "10", "--repeats", "1", "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        JsonNode figures = new ObjectMapper().readTree(lines.get(lines.size() - 1));
        assertThat(figures.path("thinker_tokens").asInt()).isEqualTo(60);
        assertThat(figures.path("writer_tokens").asInt()).isEqualTo(51);
        for (String field : List.of("ttft_async_s", "ttft_sequential_s", "total_async_s",
                "total_sequential_s")) {
            assertThat(figures.path(field).asDouble()).as(field).isPositive();
        }
        assertThat(figures.path("async").path("checks").asInt())
                .as("stories260k has no tokenizer: synthetic ids, a check every 10 thoughts,"
                        + " none after the last")
                .isEqualTo(5);
        assertThat(figures.path("async").path("joint_steps").asInt()).isPositive();
        assertThat(figures.path("sequential").path("joint_steps").asInt()).isZero();
        assertThat(figures.path("machine").path("vector_bits").asInt()).isIn(128, 256, 512);
        assertThat(figures.path("machine").path("decode_panel_streams").asInt()).isIn(1, 2);
        assertThat(figures.path("machine").path("decode_java_prefill_tokens").asInt())
                .isIn(1024, 8192);
        assertThat(figures.path("machine").path("engine_projections").asText())
                .isIn("matmul", "convolution");
        assertThat(figures.path("machine").path("training_head").asText())
                .isIn("engine", "java");
        assertThat(figures.path("machine").path("training_attention").asText())
                .isIn("engine", "java");
        assertThat(figures.path("machine").path("vector_features").isArray()).isTrue();

        Run refused = run("bench", "async-reasoning", "--model", MODEL, "--thinker-tokens", "60",
                "--writer-tokens", "20", "--check-interval", "10");
        assertThat(refused.exitCode()).isEqualTo(Pipeline.USAGE);
        assertThat(refused.err()).contains("must be more than the thinker's 60");
    }

    @Test
    void benchPolicyPrintsTheIssueFieldsAndBothBandwidthsAsItsLastLine(@TempDir Path dir)
            throws IOException {
        Path config = Files.writeString(dir.resolve("small.json"), """
                {"vocab": 512, "dim": 64, "layers": 2, "heads": 4, "kv_heads": 2, "hidden": 128,
                 "prefill_batch": 2, "prefill_length": 16, "decode_batches": [1, 3],
                 "decode_prompt": 4, "decode_tokens": 8, "train_batch": 2, "train_length": 16,
                 "lora_rank": 2, "train_steps": 3, "matmul_size": 256}""");

        Run run = run("bench", "policy", "--config", config.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        JsonNode figures = new ObjectMapper().readTree(lines.get(lines.size() - 1));
        JsonNode machine = figures.path("machine");
        assertThat(machine.path("memory_gb_per_s").asDouble()).isPositive();
        assertThat(machine.path("memory_read_gb_per_s").asDouble()).isPositive();
        assertThat(machine.path("java_matmul_gflops").asDouble()).isPositive();
        // the FLOP bound is the faster of the engine's two ways to multiply matrices
        assertThat(machine.path("sgemm_gflops").asDouble()).isPositive();
        assertThat(machine.path("convolution_gflops").asDouble()).isPositive();
        assertThat(machine.path("matmul_gflops").asDouble()).isEqualTo(Math.max(
                machine.path("sgemm_gflops").asDouble(),
                machine.path("convolution_gflops").asDouble()));
        JsonNode prefill = figures.path("prefill");
        assertThat(prefill.path("share_of_flop_bound").asDouble()).isPositive();
        // every timed pass is reported; the figure is the best one
        List<Double> passes = new ArrayList<>();
        prefill.path("seconds_of_runs").forEach(pass -> passes.add(pass.asDouble()));
        assertThat(passes).hasSize(PolicyBenchmark.PREFILL_RUNS);
        assertThat(prefill.path("seconds").asDouble()).isEqualTo(Collections.min(passes));
        assertThat(figures.path("decode").findValuesAsText("batch")).containsExactly("1", "3");
        for (JsonNode decode : figures.path("decode")) {
            assertThat(decode.path("share_of_bound").asDouble()).isPositive();
            assertThat(decode.path("bound_tokens_per_s").asDouble()).isPositive();
            // each run against the read bandwidth probed around it; the figure is the median run
            assertThat(decode.path("read_gb_per_s").asDouble()).isPositive()
                    .isLessThanOrEqualTo(machine.path("memory_read_gb_per_s").asDouble());
            List<Double> shares = new ArrayList<>();
            decode.path("shares_of_runs").forEach(share -> shares.add(share.asDouble()));
            assertThat(shares).hasSize(5);
            // every run's time and read bandwidth, the median run's among them
            List<Double> seconds = new ArrayList<>();
            decode.path("seconds_of_runs").forEach(value -> seconds.add(value.asDouble()));
            List<Double> reads = new ArrayList<>();
            decode.path("read_gb_per_s_of_runs").forEach(value -> reads.add(value.asDouble()));
            assertThat(seconds).hasSize(5).allMatch(value -> value > 0);
            assertThat(reads).hasSize(5).allMatch(value -> value > 0);
            double share = decode.path("share_of_bound").asDouble();
            double time = decode.path("seconds").asDouble();
            double read = decode.path("read_gb_per_s").asDouble();
            // the figure's own fields are rounded to the millisecond and 0.001 GB/s
            assertThat(IntStream.range(0, 5).filter(i -> shares.get(i) == share
                    && Math.round(seconds.get(i) * 1000) / 1000.0 == time
                    && reads.get(i) == read)).as("the median run").isNotEmpty();
            Collections.sort(shares);
            assertThat(decode.path("share_of_bound").asDouble())
                    .isEqualTo(shares.get(2));
        }
        JsonNode sampling = figures.path("sampling");
        assertThat(sampling.path("batch").asInt()).as("the largest decode batch").isEqualTo(3);
        assertThat(sampling.path("vocab").asInt()).isEqualTo(512);
        for (String field : List.of("greedy_us_per_row", "sample_us_per_row",
                "top_p_us_per_row", "top_p_peaked_us_per_row")) {
            assertThat(sampling.path(field).asDouble()).as(field).isPositive();
        }
        for (String training : List.of("train_full", "train_lora")) {
            JsonNode train = figures.path(training);
            assertThat(train.path("share_of_flop_bound").asDouble()).as(training).isPositive();
            // every timed step is reported; the figure is the median step
            List<Double> steps = new ArrayList<>();
            train.path("seconds_of_steps").forEach(step -> steps.add(step.asDouble()));
            assertThat(steps).as(training).hasSize(3);
            Collections.sort(steps);
            assertThat(train.path("seconds_per_step").asDouble()).as(training)
                    .isEqualTo(steps.get(1));
        }
        double peak = figures.path("peak_rss_mib").asDouble();
        assertThat(peak).isPositive();
        // the peak after each part never falls, nor passes the process's peak
        List<Double> after = new ArrayList<>();
        JsonNode peakAfter = figures.path("peak_rss_mib_after");
        assertThat(peakAfter.fieldNames()).toIterable()
                .containsExactly("prefill", "decode", "train_lora", "train_full");
        peakAfter.forEach(value -> after.add(value.asDouble()));
        assertThat(after).isSorted().allMatch(value -> value > 0 && value <= peak);
        // the highest sample of the resident set: a part of the bench, never above the peak,
        // with the heap's used and committed bytes at that moment
        JsonNode sample = figures.path("peak_rss_sample");
        assertThat(sample.path("part").asText()).isIn("bounds", "model", "prefill", "decode",
                "bounds_again", "train_lora", "train_full");
        assertThat(sample.path("rss_mib").asDouble()).isPositive()
                .isLessThanOrEqualTo(peak + 1);
        assertThat(sample.path("heap_used_mib").asDouble()).isPositive()
                .isLessThanOrEqualTo(sample.path("heap_committed_mib").asDouble());
        assertThat(figures.path("machine").path("jit_trap_limit").asLong())
                .as("the test JVM's, as the launchers set it").isEqualTo(JitTrapLimit.VALUE);
        // the test JVM keeps G1's default; the launchers set ModelJvmFlags.HEAP_GROWTH
        JsonNode gcTimeRatio = figures.path("machine").path("gc_time_ratio");
        assertThat(gcTimeRatio.isIntegralNumber()).as(gcTimeRatio.toString()).isTrue();
        assertThat(gcTimeRatio.asLong())
                .isEqualTo(Long.parseLong(ModelJvmFlags.current(ModelJvmFlags.GC_TIME_RATIO)
                        .orElseThrow()));
    }

    static Stream<Path> qwen3Folders() {
        return Fixtures.cases("qwen3-tiny-random").stream();
    }

    static Stream<Arguments> badArguments() {
        String file = STORIES.resolve("config.json").toString();
        return Stream.of(
                Arguments.of("unknown option", new String[] {
                    "generate", "--model", MODEL, "--prompt-ids", "1", "--bogus"}),
                Arguments.of("missing --model", new String[] {"generate", "--prompt-ids", "1"}),
                Arguments.of("--prompt with --prompt-ids", new String[] {
                    "generate", "--model", MODEL, "--prompt", "hi", "--prompt-ids", "1"}),
                Arguments.of("--model not a folder", new String[] {
                    "generate", "--model", file, "--prompt-ids", "1"}),
                Arguments.of("id outside the vocabulary", new String[] {
                    "logprobs", "--model", MODEL, "--ids", "1,512"}),
                Arguments.of("--top-p above 1", new String[] {
                    "generate", "--model", MODEL, "--prompt-ids", "1", "--top-p", "2"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badArguments")
    void badArgumentsExitWithUsageAndOneErrorLine(String problem, String[] args) {
        Run run = run(args);

        assertThat(run.exitCode()).isEqualTo(Pipeline.USAGE);
        assertThat(run.err().lines()).singleElement().asString().startsWith("error:");
    }

    private static Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            int code = Pipeline.execute(args);
            return new Run(code, outBytes.toString(StandardCharsets.UTF_8),
                    errBytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static JsonNode expected() throws IOException {
        return new ObjectMapper().readTree(STORIES.resolve("expected.json").toFile());
    }
}
