package ai.collectiveagency.evaluation.cli;

import ai.collectiveagency.evaluation.candidates.Contestant;
import ai.collectiveagency.evaluation.candidates.LocalCheckpoints;
import ai.collectiveagency.evaluation.comparison.SetComparison;
import ai.collectiveagency.evaluation.protocol.EvaluationProtocol;
import ai.collectiveagency.evaluation.protocol.SetPlayer;
import ai.collectiveagency.evaluation.run.EvaluationPlan;
import ai.collectiveagency.evaluation.run.Evaluator;
import ai.collectiveagency.evaluation.run.Judges;
import ai.collectiveagency.evaluation.sets.EvaluationSet;
import ai.collectiveagency.llm.ChatEndpoint;
import ai.collectiveagency.llm.ChatGuard;
import ai.collectiveagency.policy.Policy;
import ai.collectiveagency.schemas.EvalResult;
import ai.collectiveagency.schemas.EvalResultJson;
import ai.collectiveagency.schemas.TaskMode;
import ai.collectiveagency.scoring.onnx.AnchorScorer;
import ai.collectiveagency.scoring.onnx.SentenceEncoder;
import ai.collectiveagency.scoring.sides.BothSidesScorer;
import ai.collectiveagency.scoring.pairwise.PairJudge;
import ai.collectiveagency.selfplay.PromptTemplates;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Stream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./pipeline evaluate --checkpoint DIR|vN --against base|DIR|vM ...}: one evaluation
 * from the command line, as the evaluation-service runs it for every checkpoint, with a progress
 * bar on stderr and a table (or JSON lines) on stdout.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Plays the evaluation sets with a checkpoint and with an opponent (the "
                + "base model, or another checkpoint), judges every pair in both orders and "
                + "prints win rates with 95%% intervals: a win only when both orders prefer the "
                + "checkpoint; win_rate = (wins + ties/2) / n.",
                "Without --judge-url the judge is the offline negotiation reward comparing scores."})
public final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--checkpoint", required = true, paramLabel = "DIR|vN",
            description = "The policy evaluated: a checkpoint folder, or vN of --store.")
    private String checkpoint;

    @Option(names = "--against", defaultValue = "base", paramLabel = "base|DIR|vM",
            description = "Its opponent: base (the base model, version 0), a checkpoint folder "
                    + "(e.g. runs/<single-agent run>/checkpoints/v000040) or vM of --store "
                    + "(default: ${DEFAULT-VALUE}).")
    private String against;

    @Option(names = "--model", defaultValue = "models/negotiator-tiny", paramLabel = "DIR",
            description = "The base model the checkpoints were trained from "
                    + "(default: ${DEFAULT-VALUE}).")
    private Path model;

    @Option(names = "--store", paramLabel = "DIR", description = "Where vN is looked up "
            + "(default: the checkpoints of the newest run under runs/).")
    private Path store;

    @Option(names = "--set", paramLabel = "NAME|FILE", split = ",",
            description = "Evaluation sets: negotiation-v1 and open-ended-v1 (the default), "
                    + "tiny-negotiation-v1 and tiny-open-ended-v1 (the default for models of "
                    + "at most 512 positions: the demo's short scenarios), or "
                    + "<name>-v<version>.jsonl files of PromptTasks (./pipeline prompts writes "
                    + "them).")
    private List<String> sets;

    @Option(names = "--tasks", defaultValue = "16", paramLabel = "N",
            description = "Tasks from the start of each set (default: ${DEFAULT-VALUE}).")
    private int tasks;

    @Option(names = "--decoding", split = ",", paramLabel = "greedy|sampled",
            description = "greedy, sampled or both (the default).")
    private List<String> decodings = List.of("greedy", "sampled");

    @Option(names = "--max-turns", defaultValue = "4",
            description = "T, most persona turns (default: ${DEFAULT-VALUE}, the demo's).")
    private int maxTurns;

    @Option(names = "--temperature", defaultValue = "1.0",
            description = "Sampled decoding's temperature, the training one "
                    + "(default: ${DEFAULT-VALUE}, the demo's).")
    private double temperature;

    @Option(names = "--turn-tokens", defaultValue = "24",
            description = "Tokens of one persona turn (default: ${DEFAULT-VALUE}).")
    private int turnTokens;

    @Option(names = "--resolution-tokens", defaultValue = "40",
            description = "Tokens of a resolution or answer (default: ${DEFAULT-VALUE}).")
    private int resolutionTokens;

    @Option(names = "--prompts", paramLabel = "DIR", description = "Prompt templates "
            + "(default: the prompts/ of the checkpoint's run folder, as the demo played them; "
            + "else the shipped ones).")
    private Path prompts;

    @Option(names = "--judge-url", paramLabel = "URL",
            description = "An OpenAI-compatible judge, e.g. http://localhost:8000/v1; its key "
                    + "from EVALUATION_JUDGE_API_KEY or OPENAI_API_KEY.")
    private URI judgeUrl;

    @Option(names = "--judge-model", description = "The judge's model name.")
    private String judgeModel;

    @Option(names = "--judge-allow-insecure",
            description = "Send the judge's key over plain http to a host other than loopback.")
    private boolean judgeAllowInsecure;

    @Option(names = "--json", description = "One JSON object per result on stdout "
            + "(as metrics.jsonl's win-rate records).")
    private boolean json;

    /** Models with at most this many positions get the short sets by default (the demo's). */
    private static final int SMALL_CONTEXT = 512;

    private final PrintStream stdout;
    private final PrintStream stderr;
    private final Map<String, String> environment;

    private EvaluateCommand(PrintStream stdout, PrintStream stderr,
            Map<String, String> environment) {
        this.stdout = stdout;
        this.stderr = stderr;
        this.environment = environment;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, System.getenv()));
    }

    /** Runs the command with these streams and environment; the exit code. */
    public static int run(String[] args, PrintStream stdout, PrintStream stderr,
            Map<String, String> environment) {
        CommandLine cli = new CommandLine(new EvaluateCommand(stdout, stderr, environment));
        cli.setOut(new PrintWriter(stdout, true));
        cli.setErr(new PrintWriter(stderr, true));
        cli.setExecutionExceptionHandler((e, c, p) -> {
            if (e instanceof IllegalArgumentException) {
                stderr.println("evaluate: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() {
        try (Policy base = Policy.load(model);
                SentenceEncoder encoder = SentenceEncoder.bundled(256, 0)) {
            EvaluationPlan plan = EvaluationPlan.of(sets != null ? sets
                    : base.model().config().maxPositions() <= SMALL_CONTEXT
                            ? EvaluationSet.SMALL_CONTEXT : EvaluationSet.STANDARD,
                    tasks, decodings);
            AnchorScorer collectiveAgency = new AnchorScorer(encoder, null, 16);
            Function<TaskMode, PairJudge> judges = judgeUrl == null
                    ? Judges.offline(BothSidesScorer.withDefaults(encoder, 16), 0.001)
                    : Judges.llm(endpoint(), ChatGuard.defaults());
            Path versions = store();
            LocalCheckpoints local = new LocalCheckpoints(base, model, versions);
            Contestant opponent = local.load(against);
            Contestant candidate = local.load(checkpoint);
            EvaluationProtocol protocol = EvaluationProtocol.of(maxTurns, 2, temperature,
                    temperature, 1.0, turnTokens, resolutionTokens, 4);
            SetPlayer player = new SetPlayer(protocol, templates(versions), 8);
            plan.sets().forEach(set -> player.requireFits(base, set));
            Evaluator evaluator = new Evaluator(player, judges, collectiveAgency, plan);
            List<SetComparison> comparisons;
            try (ProgressBar bar = new ProgressBarBuilder().setTaskName("evaluate")
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500)
                    .setConsumer(new ConsoleProgressBarConsumer(stderr)).build()) {
                comparisons = evaluator.evaluate(candidate, opponent,
                        new BarProgress(bar));
            }
            print(comparisons);
        }
        return 0;
    }

    private ChatEndpoint endpoint() {
        if (judgeModel == null) {
            throw new IllegalArgumentException("--judge-url needs --judge-model");
        }
        Optional<String> key = Stream.of("EVALUATION_JUDGE_API_KEY", "OPENAI_API_KEY")
                .map(environment::get).filter(k -> k != null && !k.isBlank()).findFirst();
        return new ChatEndpoint(judgeUrl, judgeModel, key, judgeAllowInsecure);
    }

    private Path store() {
        if (store != null) {
            return store;
        }
        Path runs = Path.of("runs");
        if (!Files.isDirectory(runs)) {
            return runs.resolve("checkpoints");
        }
        try (Stream<Path> folders = Files.list(runs)) {
            return folders.map(run -> run.resolve("checkpoints")).filter(Files::isDirectory)
                    .max(Comparator.comparing(EvaluateCommand::modified))
                    .orElse(runs.resolve("checkpoints"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long modified(Path folder) {
        try {
            return Files.getLastModifiedTime(folder).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /** --prompts, else the run's prompts/ ({@code runs/<run>/checkpoints/vN}), else shipped. */
    private PromptTemplates templates(Path versions) {
        if (prompts != null) {
            return PromptTemplates.load(prompts);
        }
        for (String named : List.of(checkpoint, against)) {
            Path folder = Path.of(named).toAbsolutePath().normalize();
            Path run = folder.getParent() == null ? null : folder.getParent().getParent();
            if (Files.isDirectory(folder) && run != null
                    && Files.isDirectory(run.resolve("prompts"))) {
                return PromptTemplates.load(run.resolve("prompts"));
            }
        }
        Path run = versions.toAbsolutePath().normalize().getParent();
        if (run != null && Files.isDirectory(run.resolve("prompts"))) {
            return PromptTemplates.load(run.resolve("prompts"));
        }
        return PromptTemplates.defaults();
    }

    private void print(List<SetComparison> comparisons) {
        Clock clock = Clock.systemUTC();
        if (json) {
            for (SetComparison comparison : comparisons) {
                stdout.println(EvalResultJson.line(comparison.toResult(clock.instant())));
            }
            return;
        }
        List<EvalResult> results = comparisons.stream()
                .map(c -> c.toResult(clock.instant())).toList();
        int setWidth = Math.max(3, results.stream().mapToInt(r -> r.getEvalSet().length())
                .max().orElse(0));
        int againstWidth = Math.max(7, results.stream().mapToInt(r -> r.getAgainst().length())
                .max().orElse(0));
        String row = "%-" + setWidth + "s  %-8s  %-" + againstWidth + "s  %-24s  %3s  %4s  %4s"
                + "  %6s%n";
        stdout.printf(row, "set", "decoding", "against", "win rate [95% interval]", "n", "wins",
                "ties", "losses");
        for (EvalResult result : results) {
            Map<String, Double> m = result.getMetrics();
            stdout.printf(row, result.getEvalSet(), result.getDecoding(), result.getAgainst(),
                    String.format("%.3f [%.3f, %.3f]", m.getOrDefault("win_rate", Double.NaN),
                            m.getOrDefault("ci_low", Double.NaN),
                            m.getOrDefault("ci_high", Double.NaN)),
                    result.getSampleCount(), m.get("wins").intValue(),
                    m.get("ties").intValue(), m.get("losses").intValue());
        }
    }

    /** Moves the bar as tasks are played. */
    private record BarProgress(ProgressBar bar) implements
            ai.collectiveagency.evaluation.run.EvaluationProgress {

        @Override
        public void started(int totalTasks) {
            bar.maxHint(totalTasks);
        }

        @Override
        public void played(String what, int count) {
            bar.setExtraMessage(what);
            bar.stepBy(count);
        }
    }
}
