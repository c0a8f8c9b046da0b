package ai.collectiveagency.prompts.cli;

import ai.collectiveagency.llm.ChatEndpoint;
import ai.collectiveagency.llm.ChatFailure;
import ai.collectiveagency.llm.ChatGuard;
import ai.collectiveagency.llm.ChatStats;
import ai.collectiveagency.llm.JsonChat;
import ai.collectiveagency.llm.JsonMode;
import ai.collectiveagency.prompts.combinatorial.CombinatorialConfig;
import ai.collectiveagency.prompts.combinatorial.CombinatorialSource;
import ai.collectiveagency.prompts.dedup.MinHash;
import ai.collectiveagency.prompts.dedup.NearDuplicateFilter;
import ai.collectiveagency.prompts.dedup.TaskDeduplicator;
import ai.collectiveagency.prompts.llm.LlmTaskSource;
import ai.collectiveagency.prompts.mix.SourceMix;
import ai.collectiveagency.prompts.seeds.SeedFileException;
import ai.collectiveagency.prompts.seeds.SeedLists;
import ai.collectiveagency.prompts.seeds.SeedMerge;
import ai.collectiveagency.schemas.PromptTaskJson;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code prompts --count N [--seed S] [--source combinatorial|llm] [--out FILE.jsonl] ...}:
 * generates tasks without Kafka and prints them as JSON lines ({@link PromptTaskJson}), so a
 * user sees what training will see (and a held-out file is an evaluation set). On stderr a line counts the tasks generated and the near-duplicates
 * dropped; with {@code --source llm} another counts requests, answers, retries and drops. Bad arguments or a
 * bad seed folder print one {@code error: ...} line and exit with 2.
 */
@Command(name = "prompts", mixinStandardHelpOptions = true,
        description = "Generates PromptTasks as JSON lines, without Kafka.")
public final class PromptsCommand implements Callable<Integer> {

    /** Exit code for bad arguments or bad input files. */
    public static final int USAGE = 2;
    /** Longest task the model may write, in tokens. */
    private static final int LLM_MAX_TOKENS = 1500;

    /** Where tasks come from. */
    enum Source { combinatorial, llm }

    /** Environment variables read, in order, for the LLM endpoint's API key. */
    static final List<String> API_KEY_VARIABLES = List.of("PROMPTS_LLM_API_KEY", "OPENAI_API_KEY");

    @Option(names = "--count", required = true, description = "Tasks to generate (>= 1).")
    private long count;

    @Option(names = "--seed", defaultValue = "1",
            description = "Run seed (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--source", defaultValue = "combinatorial",
            description = "Task source: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    private Source source;

    @Option(names = "--out", description = "Write the JSON lines to this file, not stdout.")
    private Path out;

    @Option(names = "--negotiation-share", defaultValue = "0.8",
            description = "Share of NEGOTIATION tasks, the rest SINGLE "
                    + "(default: ${DEFAULT-VALUE}).")
    private double negotiationShare;

    @Option(names = "--held-out-share", defaultValue = "0.05",
            description = "Share of tasks held out for evaluation (default: ${DEFAULT-VALUE}).")
    private double heldOutShare;

    @Option(names = "--seeds", description = "Folder of seed files that extend the shipped lists.")
    private Path seeds;

    @Option(names = "--replace-seeds",
            description = "Files in --seeds replace the shipped lists instead of extending them.")
    private boolean replaceSeeds;

    @Option(names = "--created-at",
            description = "created_at of every task, ISO-8601 (default: now); pin it for "
                    + "byte-identical output.")
    private Instant createdAt;

    @Option(names = "--dedup-threshold", defaultValue = "0.8",
            description = "Estimated Jaccard at which a task is a near-duplicate "
                    + "(default: ${DEFAULT-VALUE}).")
    private double dedupThreshold;

    @Option(names = "--llm-url",
            description = "With --source llm: API root of an OpenAI-compatible endpoint, e.g. "
                    + "http://localhost:8000/v1. The API key is read from $PROMPTS_LLM_API_KEY "
                    + "or $OPENAI_API_KEY.")
    private URI llmUrl;

    @Option(names = "--llm-model", description = "With --source llm: the model name.")
    private String llmModel;

    @Option(names = "--llm-allow-insecure",
            description = "Send the API key over plain http to a host other than loopback "
                    + "(only on a network you trust); refused otherwise.")
    private boolean llmAllowInsecure;

    @Option(names = "--llm-share", defaultValue = "1",
            description = "With --source llm: share of tasks the model writes, the rest "
                    + "combinatorial (default: ${DEFAULT-VALUE}).")
    private double llmShare;

    @Option(names = "--llm-json-mode", defaultValue = "SCHEMA",
            description = "How JSON is asked for: ${COMPLETION-CANDIDATES} "
                    + "(default: ${DEFAULT-VALUE}).")
    private JsonMode llmJsonMode;

    @Option(names = "--llm-temperature", defaultValue = "1.0",
            description = "Sampling temperature of the model (default: ${DEFAULT-VALUE}).")
    private double llmTemperature;

    @Option(names = "--llm-timeout", defaultValue = "60",
            description = "Seconds one request may take (default: ${DEFAULT-VALUE}).")
    private double llmTimeoutSeconds;

    @Option(names = "--llm-retries", defaultValue = "2",
            description = "Retries of a failed request: bad JSON, 5xx, timeout "
                    + "(default: ${DEFAULT-VALUE}).")
    private int llmRetries;

    private final PrintStream stdout;
    private final PrintStream stderr;

    private final Map<String, String> environment;

    private PromptsCommand(PrintStream stdout, PrintStream stderr,
            Map<String, String> environment) {
        this.stdout = stdout;
        this.stderr = stderr;
        this.environment = environment;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, System.getenv()));
    }

    /** Runs the command with these streams; the exit code. */
    public static int run(String[] args, PrintStream stdout, PrintStream stderr) {
        return run(args, stdout, stderr, System.getenv());
    }

    /** Runs the command with these streams and environment variables; the exit code. */
    public static int run(String[] args, PrintStream stdout, PrintStream stderr,
            Map<String, String> environment) {
        CommandLine cli = new CommandLine(new PromptsCommand(stdout, stderr, environment));
        cli.setOut(new java.io.PrintWriter(stdout, true));
        cli.setParameterExceptionHandler((e, a) -> error(stderr, e.getMessage()));
        cli.setExecutionExceptionHandler((e, c, p) -> {
            if (e instanceof SeedFileException || e instanceof IllegalArgumentException
                    || e instanceof UncheckedIOException) {
                return error(stderr, e.getMessage());
            }
            throw e;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() throws IOException {
        if (count < 1) {
            throw new IllegalArgumentException("--count must be >= 1, was " + count);
        }
        requireShare("--negotiation-share", negotiationShare);
        requireShare("--held-out-share", heldOutShare);
        SeedLists lists = seeds == null ? SeedLists.shipped()
                : SeedLists.load(seeds, replaceSeeds ? SeedMerge.REPLACE : SeedMerge.EXTEND);
        CombinatorialConfig config = new CombinatorialConfig(seed, negotiationShare,
                heldOutShare, createdAt == null ? Instant.now() : createdAt);
        CombinatorialSource combinatorial = new CombinatorialSource(lists, config);
        JsonChat chat = source == Source.llm ? chat() : null;
        SourceMix mix = chat == null ? SourceMix.combinatorialOnly(combinatorial::task)
                : new SourceMix(combinatorial::task,
                        new LlmTaskSource(chat, lists, config, llmTemperature, LLM_MAX_TOKENS)::task,
                        llmShare, seed);
        TaskDeduplicator dedup = new TaskDeduplicator(
                new NearDuplicateFilter(new MinHash(3, 128), 4, dedupThreshold));
        TaskDeduplicator.Counts counts;
        try (Writer writer = open()) {
            counts = dedup.run(LongStream.range(0, count).mapToObj(mix).flatMap(Optional::stream),
                    task -> writeLine(writer, PromptTaskJson.line(task)));
        }
        stderr.printf("generated %d, dropped %d as near-duplicates, wrote %d%n",
                counts.generated(), counts.dropped(), counts.kept());
        if (chat != null) {
            stderr.println(llmSummary(chat.stats()));
        }
        return 0;
    }

    private JsonChat chat() {
        if (llmUrl == null || llmModel == null) {
            throw new IllegalArgumentException("--source llm needs --llm-url and --llm-model");
        }
        requireShare("--llm-share", llmShare);
        if (!(llmTimeoutSeconds > 0) || llmRetries < 0) {
            throw new IllegalArgumentException("--llm-timeout must be > 0 and --llm-retries >= 0");
        }
        Optional<String> apiKey = API_KEY_VARIABLES.stream().map(environment::get)
                .filter(key -> key != null && !key.isBlank()).findFirst();
        ChatEndpoint endpoint = new ChatEndpoint(llmUrl, llmModel, apiKey, llmAllowInsecure);
        ChatGuard defaults = ChatGuard.defaults();
        ChatGuard guard = new ChatGuard(Duration.ofMillis(Math.round(llmTimeoutSeconds * 1000)),
                llmRetries, defaults.retryDelay(), defaults.circuitWindow(),
                defaults.failureRatio(), defaults.circuitDelay());
        return JsonChat.create(endpoint, LlmTaskSource.schema(), llmJsonMode, guard);
    }

    /** One line: requests, answers, retries and drops by reason. */
    static String llmSummary(ChatStats stats) {
        StringBuilder line = new StringBuilder()
                .append("llm: ").append(stats.attempts()).append(" requests, ")
                .append(stats.answered()).append(" answered, ")
                .append(stats.failed()).append(" dropped");
        String reasons = Arrays.stream(ChatFailure.values()).filter(r -> stats.failed(r) > 0)
                .map(r -> r.label() + " " + stats.failed(r)).collect(Collectors.joining(", "));
        if (!reasons.isEmpty()) {
            line.append(" (").append(reasons).append(")");
        }
        long retries = Arrays.stream(ChatFailure.values()).mapToLong(stats::retried).sum();
        return line.append(", ").append(retries).append(" retried").toString();
    }

    private Writer open() throws IOException {
        if (out == null) {
            return new BufferedWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8)) {
                @Override
                public void close() throws IOException {
                    flush();
                }
            };
        }
        try {
            return Files.newBufferedWriter(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out + ": " + e, e);
        }
    }

    private static void writeLine(Writer writer, String line) {
        try {
            writer.write(line);
            writer.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void requireShare(String option, double share) {
        if (!(share >= 0.0 && share <= 1.0)) {
            throw new IllegalArgumentException(option + " must lie in [0, 1], was " + share);
        }
    }

    private static int error(PrintStream stderr, String message) {
        stderr.println("error: " + message.lines().findFirst().orElse(""));
        return USAGE;
    }
}
