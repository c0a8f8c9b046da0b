package ai.collectiveagency.prompts.cli;

import ai.collectiveagency.prompts.combinatorial.CombinatorialConfig;
import ai.collectiveagency.prompts.combinatorial.CombinatorialSource;
import ai.collectiveagency.prompts.dedup.MinHash;
import ai.collectiveagency.prompts.dedup.NearDuplicateFilter;
import ai.collectiveagency.prompts.dedup.TaskDeduplicator;
import ai.collectiveagency.prompts.seeds.SeedFileException;
import ai.collectiveagency.prompts.seeds.SeedLists;
import ai.collectiveagency.prompts.seeds.SeedMerge;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code prompts --count N [--seed S] [--out FILE.jsonl] ...}: generates tasks without Kafka and
 * prints them as JSON lines ({@link JsonLines}), so a user sees what training will see. The last
 * line on stderr counts the tasks generated and the near-duplicates dropped. Bad arguments or a
 * bad seed folder print one {@code error: ...} line and exit with 2.
 */
@Command(name = "prompts", mixinStandardHelpOptions = true,
        description = "Generates PromptTasks as JSON lines, without Kafka.")
public final class PromptsCommand implements Callable<Integer> {

    /** Exit code for bad arguments or bad input files. */
    public static final int USAGE = 2;

    /** Where tasks come from; the LLM source belongs to the prompt-generator service. */
    enum Source { combinatorial }

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

    private final PrintStream stdout;
    private final PrintStream stderr;

    private PromptsCommand(PrintStream stdout, PrintStream stderr) {
        this.stdout = stdout;
        this.stderr = stderr;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command with these streams; the exit code. */
    public static int run(String[] args, PrintStream stdout, PrintStream stderr) {
        CommandLine cli = new CommandLine(new PromptsCommand(stdout, stderr));
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
        CombinatorialSource tasks = new CombinatorialSource(lists, config);
        TaskDeduplicator dedup = new TaskDeduplicator(
                new NearDuplicateFilter(new MinHash(3, 128), 4, dedupThreshold));
        TaskDeduplicator.Counts counts;
        try (Writer writer = open()) {
            counts = dedup.run(tasks.tasks(count), task -> writeLine(writer, JsonLines.line(task)));
        }
        stderr.printf("generated %d, dropped %d as near-duplicates, wrote %d%n",
                counts.generated(), counts.dropped(), counts.kept());
        return 0;
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
