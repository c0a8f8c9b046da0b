package ai.collectiveagency.reward.cli;

import ai.collectiveagency.llm.ChatEndpoint;
import ai.collectiveagency.llm.ChatGuard;
import ai.collectiveagency.llm.JsonMode;
import ai.collectiveagency.scoring.judge.JudgeScorers;
import ai.collectiveagency.scoring.judge.Rubric;
import ai.collectiveagency.scoring.onnx.OnnxRewardModel;
import ai.collectiveagency.scoring.onnx.AnchorScorer;
import ai.collectiveagency.scoring.onnx.Anchors;
import ai.collectiveagency.scoring.onnx.EmbeddingCache;
import ai.collectiveagency.scoring.onnx.OnnxScorer;
import ai.collectiveagency.scoring.onnx.SentenceEncoder;
import ai.collectiveagency.scoring.Scorer;
import ai.collectiveagency.scoring.sides.BothSidesScorer;
import ai.collectiveagency.scoring.sides.SideWeights;
import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.schemas.PromptTaskJson;
import ai.collectiveagency.scoring.Scores;
import ai.collectiveagency.scoring.ScoringInput;
import ai.collectiveagency.scoring.Verdict;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code score --scorer onnx --model DIR --text TEXT [--json]} or
 * {@code score --scorer judge --url URL --model NAME --rubric ca --text TEXT [--json]}: scores
 * texts as the reward-service would, without Kafka. The judge's API key is read from
 * {@code $REWARD_JUDGE_API_KEY} or {@code $OPENAI_API_KEY}. Bad arguments print one
 * {@code error: ...} line and exit with 2.
 */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Scores texts with an ONNX reward model or an LLM judge, without Kafka.")
public final class ScoreCommand implements Callable<Integer> {

    /** Exit code for bad arguments or a bad model. */
    public static final int USAGE = 2;

    @Option(names = "--scorer", required = true,
            description = "negotiation (offline, needs --task), embedding (offline), onnx or "
                    + "judge.")
    private String scorer;

    @Option(names = "--task",
            description = "A task file (one PromptTask JSON line, as ./pipeline prompts writes "
                    + "them; the first line is used): the texts answer it. negotiation needs it; "
                    + "a judge sees its scenario.")
    private Path task;

    @Option(names = "--model",
            description = "onnx: the model folder (model.onnx, tokenizer.json); judge: the model "
                    + "name; negotiation, embedding: an encoder folder (default: the shipped "
                    + "all-MiniLM-L6-v2).")
    private String model;

    @Option(names = "--anchors",
            description = "negotiation, embedding: an anchors JSON file (default: the shipped CA "
                    + "anchors).")
    private Path anchors;

    @Option(names = "--url", description = "judge: API root of an OpenAI-compatible endpoint.")
    private URI url;

    @Option(names = "--allow-insecure",
            description = "judge: send the API key over plain http to a host other than "
                    + "loopback (only on a network you trust); refused otherwise.")
    private boolean allowInsecure;

    @Option(names = "--rubric", defaultValue = "ca",
            description = "judge: ca, conflict-resolution or a rubric .json file "
                    + "(default: ${DEFAULT-VALUE}).")
    private String rubric;

    @Option(names = "--text", required = true, description = "A text to score (repeatable).")
    private List<String> texts;

    @Option(names = "--json", description = "One JSON object per text.")
    private boolean json;

    @Option(names = "--timeout", defaultValue = "60",
            description = "judge: seconds per request (default: ${DEFAULT-VALUE}).")
    private double timeoutSeconds;

    private final PrintStream stdout;
    private final Map<String, String> environment;

    private ScoreCommand(PrintStream stdout, Map<String, String> environment) {
        this.stdout = stdout;
        this.environment = environment;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, System.getenv()));
    }

    /** Runs the command with these streams and environment; the exit code. */
    public static int run(String[] args, PrintStream stdout, PrintStream stderr,
            Map<String, String> environment) {
        CommandLine cli = new CommandLine(new ScoreCommand(stdout, environment));
        cli.setOut(new PrintWriter(stdout, true));
        cli.setParameterExceptionHandler((e, a) -> error(stderr, e.getMessage()));
        cli.setExecutionExceptionHandler((e, c, p) -> {
            if (e instanceof IllegalArgumentException) {
                return error(stderr, e.getMessage());
            }
            throw e;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        PromptTask answered = task == null ? null : readTask(task);
        Scorer built = build();
        try {
            List<ScoringInput> inputs = texts.stream()
                    .map(text -> new ScoringInput(answered, text)).toList();
            Scores scores = built.score(inputs);
            for (int i = 0; i < inputs.size(); i++) {
                print(texts.get(i), scores.verdicts().get(i), built.id(), scores.scorerVersion());
            }
        } finally {
            if (built instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
        return 0;
    }

    private static PromptTask readTask(Path file) {
        List<PromptTask> tasks = PromptTaskJson.read(file);
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("--task " + file + ": holds no task");
        }
        return tasks.get(0);
    }

    private Scorer build() {
        if (!List.of("negotiation", "embedding", "onnx", "judge").contains(scorer)) {
            throw new IllegalArgumentException("--scorer " + scorer + ": use negotiation, "
                    + "embedding, onnx or judge");
        }
        if (scorer.equals("negotiation") && task == null) {
            throw new IllegalArgumentException("--scorer negotiation scores texts against a "
                    + "task's two personas: give --task FILE");
        }
        if (scorer.equals("negotiation") || scorer.equals("embedding")) {
            SentenceEncoder encoder = model == null ? SentenceEncoder.bundled(256, 0)
                    : SentenceEncoder.load(Path.of(model), 256, 0);
            Scorer offline = scorer.equals("embedding") ? new AnchorScorer(encoder, anchors, 16)
                    : new BothSidesScorer(new EmbeddingCache(encoder, 16, 0),
                            Anchors.load(encoder, anchors), SideWeights.defaults());
            return new ClosingScorer(offline, encoder);
        }
        if (model == null) {
            throw new IllegalArgumentException("--scorer " + scorer + " needs --model");
        }
        if (scorer.equals("onnx")) {
            Path folder = Path.of(model);
            OnnxRewardModel loaded = OnnxRewardModel.load(folder, 512, 0);
            return new ClosingScorer(new OnnxScorer(loaded,
                    folder.toAbsolutePath().getFileName().toString(), loaded.fingerprint(), 16),
                    loaded);
        }
        if (url == null) {
            throw new IllegalArgumentException("--scorer judge needs --url (and --model)");
        }
        Optional<String> key = Stream.of("REWARD_JUDGE_API_KEY", "OPENAI_API_KEY")
                .map(environment::get).filter(k -> k != null && !k.isBlank()).findFirst();
        ChatGuard defaults = ChatGuard.defaults();
        return JudgeScorers.create(new ChatEndpoint(url, model, key, allowInsecure),
                Rubric.load(rubric),
                new ChatGuard(Duration.ofMillis(Math.round(timeoutSeconds * 1000)),
                        defaults.maxRetries(), defaults.retryDelay(), defaults.circuitWindow(),
                        defaults.failureRatio(), defaults.circuitDelay()),
                JsonMode.SCHEMA, 0.0, 800, 4, 0, false);
    }

    private void print(String text, Verdict verdict, String id, String version) {
        if (json) {
            ObjectNode line = new ObjectMapper().createObjectNode().put("text", text)
                    .put("scorer_id", id).put("scorer_version", version);
            if (verdict instanceof Verdict.Scored scored) {
                line.put("reward", scored.reward());
                ObjectNode breakdown = line.putObject("breakdown");
                scored.breakdown().forEach(breakdown::put);
            } else {
                line.putNull("reward").put("unscorable_reason",
                        ((Verdict.Unscorable) verdict).reason());
            }
            stdout.println(line);
        } else if (verdict instanceof Verdict.Scored scored) {
            stdout.printf("%.6f  %s  %s%n", scored.reward(), scored.breakdown(), text);
        } else {
            stdout.println("unscorable (" + ((Verdict.Unscorable) verdict).reason() + ")  " + text);
        }
    }

    private static int error(PrintStream stderr, String message) {
        stderr.println("error: " + message.lines().findFirst().orElse(""));
        return USAGE;
    }

    /** A scorer that closes its model when the command ends. */
    private record ClosingScorer(Scorer scorer, AutoCloseable model)
            implements Scorer, AutoCloseable {
        @Override
        public String id() {
            return scorer.id();
        }

        @Override
        public Scores score(List<ScoringInput> inputs) {
            return scorer.score(inputs);
        }

        @Override
        public void close() throws Exception {
            model.close();
        }
    }
}
