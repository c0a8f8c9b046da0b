package ai.collectiveagency.rollout.bench;

import ai.collectiveagency.policy.Policy;
import ai.collectiveagency.policy.bench.CpuFeatures;
import ai.collectiveagency.selfplay.ModelName;
import ai.collectiveagency.selfplay.NegotiationSettings;
import ai.collectiveagency.selfplay.PolicyAgreementCheck;
import ai.collectiveagency.selfplay.PromptTemplates;
import ai.collectiveagency.selfplay.SelfPlay;
import ai.collectiveagency.selfplay.TurnSampling;
import ai.collectiveagency.schemas.RolloutGroup;
import ai.collectiveagency.schemas.Trajectory;
import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.schemas.kafka.RolloutGroupSerializer;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import com.fasterxml.jackson.databind.ObjectMapper;
import ai.collectiveagency.rollout.remote.EngineAdapters;
import ai.collectiveagency.rollout.remote.RemoteEngines;
import ai.collectiveagency.selfplay.GenerationEngine;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.io.FileUtils;

/**
 * {@code ./pipeline bench rollout}: how fast self-play turns tasks into groups, and where the wall
 * time goes. Runs {@link SelfPlay} (G trajectories per task, T turns, the policy as judge, every
 * dialogue agreed at its last turn so that resolutions are written) on synthetic tasks in batches
 * of {@code --batch-tasks} as the service does ({@code rollout.batch.max-tasks}), serializing
 * each batch's groups with {@link RolloutGroupSerializer} as the service does before Kafka: by
 * default until 30 s have passed (a batch is never cut, so a run lasts at least 30 s), or
 * {@code --tasks} tasks, or either bound given with both. The wall time is split
 * ({@link TimeSplit}) by timing the real code paths: the model (inside generation calls),
 * templating and tokenization, the policy judge (its model part and the rest), Avro, and the
 * remainder. Without {@code --model} it measures the tiny fixture and a ~40M random-weights model
 * ({@link BenchModel}); prints one JSON object.
 *
 * <p>{@code --generation remote} measures each model twice, locally and through the HTTP path of
 * remote generation (vLLM's protocol, one request per sequence, a group's requests at once)
 * against the project's inference server in a child process (or the engine at
 * {@code --remote-url}), with the same seeds, and reports the HTTP path's overhead and whether
 * both gave the same tokens.
 *
 * <pre>
 * RolloutBenchmark [--model DIR] [--tasks N] [--seconds S] [--batch-tasks B] [--group-size G]
 *                  [--turns T] [--turn-tokens K]
 *                  [--fixture DIR] [--bench-model DIR] [--shipped-prompts]
 *                  [--generation local|remote] [--remote-url URL]
 * </pre>
 */
public final class RolloutBenchmark {

    /** Models with fewer positions get shorter turns by default (the fixture has 256). */
    private static final int SHORT_TURNS_BELOW_POSITIONS = 1024;
    private static final List<String> PROMPT_FILES = List.of("persona-system", "opening",
            "continued", "agreement-system", "agreement", "resolution", "answer-system", "answer");
    private static final int SERIALIZATION_REPEATS = 20;
    static final int DEFAULT_SECONDS = 30;
    /** The service's {@code rollout.batch.max-tasks}. */
    static final int DEFAULT_BATCH_TASKS = 4;
    /** The topic a group is serialized for: the catalogue's rollouts topic. */
    private static final String ROLLOUTS_TOPIC =
            TopicCatalogue.defaults().name(LogicalTopic.ROLLOUTS);

    /**
     * @param model the model to measure, or null for the tiny fixture and the ~40M bench model
     * @param fixture the tiny fixture, also the bench model's tokenizer source
     * @param benchModel where the ~40M model is kept (written if missing), or null for a
     *     temporary folder
     * @param tasks the most tasks a run takes ({@link Integer#MAX_VALUE}: no bound)
     * @param seconds no batch starts once a run has taken this long; 0: no limit
     * @param batchTasks tasks per {@code SelfPlay.rollout} call
     * @param turnTokens tokens per dialogue turn and per resolution; 0 picks 12 for models
     *     of fewer than 1024 positions (the fixture has 256) and 32 for the others
     * @param shippedPrompts the shipped prompts instead of the compact ones; they do not fit
     *     the fixture, and on a random-weights model they only lengthen every prompt (memory
     *     of a batched prefill grows with batch x length squared)
     */
    public record Options(Path model, Path fixture, Path benchModel, int tasks, int seconds,
            int batchTasks, int groupSize, int turns, int turnTokens, boolean shippedPrompts,
            boolean remote, URI remoteUrl) {

        public Options {
            if (tasks < 1 || seconds < 0 || batchTasks < 1 || groupSize < 1 || turns < 2
                    || turnTokens < 0) {
                throw new IllegalArgumentException("need --tasks >= 1, --seconds >= 0, "
                        + "--batch-tasks >= 1, --group-size >= 1, --turns >= 2 and "
                        + "--turn-tokens >= 0");
            }
        }
    }

    private final Options options;

    public RolloutBenchmark(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws IOException {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        Map<String, Object> result = new RolloutBenchmark(options).run();
        System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter()
                .writeValueAsString(result));
    }

    /** Every measurement, as the JSON object {@link #main} prints. */
    public Map<String, Object> run() throws IOException {
        List<Map<String, Object>> runs = new ArrayList<>();
        if (options.model() != null) {
            runs.add(measure(options.model(), ModelName.of(options.model())));
        } else {
            runs.add(measure(options.fixture(), "tiny fixture (" + options.fixture() + ")"));
            boolean keep = options.benchModel() != null;
            Path folder = keep ? options.benchModel()
                    : Files.createTempDirectory("rollout-bench-model");
            try {
                if (!Files.isRegularFile(folder.resolve("config.json"))) {
                    progress("writing the ~40M random-weights model to " + folder);
                    int vocab;
                    try (Policy fixture = Policy.load(options.fixture())) {
                        vocab = fixture.model().config().vocabSize();
                    }
                    BenchModel.write(folder, options.fixture(), vocab);
                }
                runs.add(measure(folder, "bench ~40M random weights"));
            } finally {
                if (!keep) {
                    FileUtils.deleteDirectory(folder.toFile());
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> machine = CpuFeatures.detect().toMap();
        machine.put("omp_wait_policy", String.valueOf(System.getenv("OMP_WAIT_POLICY")));
        out.put("machine", machine);
        out.put("runs", runs);
        return out;
    }

    private Map<String, Object> measure(Path folder, String label) throws IOException {
        Path promptFolder = null;
        try (Policy policy = Policy.load(folder)) {
            int positions = policy.model().config().maxPositions();
            boolean compact = !options.shippedPrompts();
            if (compact) {
                promptFolder = compactPrompts();
            }
            PromptTemplates templates = compact ? PromptTemplates.load(promptFolder)
                    : PromptTemplates.defaults();
            int turnTokens = options.turnTokens() > 0 ? options.turnTokens()
                    : positions < SHORT_TURNS_BELOW_POSITIONS ? 12 : 32;
            NegotiationSettings settings = settings(turnTokens);
            progress("measuring " + label + ": "
                    + (options.tasks() < Integer.MAX_VALUE ? options.tasks() + " tasks" : "")
                    + (options.tasks() < Integer.MAX_VALUE && options.seconds() > 0 ? " or " : "")
                    + (options.seconds() > 0 ? options.seconds() + " s" : "")
                    + " in batches of " + options.batchTasks() + ", G " + options.groupSize()
                    + ", T " + options.turns() + ", " + turnTokens + " tokens a turn");
            RunClocks clocks = new RunClocks();
            SelfPlay local = selfPlay(policy, GenerationEngine.local(policy), label, settings,
                    templates, clocks);
            Timed localRun = timed(local, clocks, policy, label, compact, turnTokens,
                    options.tasks(), options.seconds());
            if (!options.remote()) {
                return localRun.figures();
            }
            Map<String, Object> figures = new LinkedHashMap<>(localRun.figures());
            figures.put("remote", remote(folder, policy, label, settings, templates, localRun,
                    compact, turnTokens));
            return figures;
        } finally {
            if (promptFolder != null) {
                FileUtils.deleteDirectory(promptFolder.toFile());
            }
        }
    }

    private static SelfPlay selfPlay(Policy policy, GenerationEngine engine, String label,
            NegotiationSettings settings, PromptTemplates templates, RunClocks clocks) {
        TimedAgreement judge = new TimedAgreement(new LastTurnAgreement(new PolicyAgreementCheck(
                policy, engine, templates, settings.contextTurns(), settings.agreementMaxTokens(),
                clocks.judgeModel, clocks.judgeText), settings.maxTurns()));
        clocks.agreement(judge);
        return SelfPlay.builder().setPolicy(policy).optEngine(engine).setModelName(label)
                .optSettings(settings).optTemplates(templates).optModelTimer(clocks.model)
                .optTextTimer(clocks.text).optAgreementCheck(judge)
                .build();
    }

    /**
     * The same run through remote generation: {@code remote_groups_per_s}, the HTTP path's
     * {@code overhead} over local generation ((remote wall - local wall) / local wall), and
     * whether every trajectory's tokens equal the local run's.
     */
    private Map<String, Object> remote(Path folder, Policy policy, String label,
            NegotiationSettings settings, PromptTemplates templates, Timed local,
            boolean compact, int turnTokens) throws IOException {
        Path scratch = Files.createTempDirectory("rollout-bench-server");
        InferenceServerProcess server = null;
        try {
            URI url = options.remoteUrl();
            String model = null;
            if (url == null) {
                Path root = Path.of(System.getProperty("pipeline.root", "."));
                progress("starting the inference server on " + folder + " (its output: "
                        + scratch.resolve("server.log") + ")");
                server = InferenceServerProcess.start(root, folder, scratch,
                        scratch.resolve("server.log"));
                url = server.baseUri();
                model = server.modelName();
            }
            String served = model != null ? model : ModelName.of(folder);
            try (RemoteEngines engines = new RemoteEngines(new RemoteEngines.Settings(
                    List.of(url), Optional.ofNullable(System.getenv("ROLLOUT_REMOTE_API_KEY")),
                    served, Duration.ofMinutes(5), 0, Duration.ZERO,
                    Math.max(64, options.groupSize() * options.batchTasks()),
                    Duration.ofHours(1)),
                    new ObjectMapper());
                    EngineAdapters.Lease lease = engines.lease(0)) {
                RunClocks clocks = new RunClocks();
                SelfPlay selfPlay = selfPlay(policy, engines.engine(lease,
                        policy.endOfSequence()), label, settings, templates, clocks);
                progress("remote generation at " + url);
                // the local run's tasks, no time limit: the same sequences on both paths
                Timed remote = timed(selfPlay, clocks, policy, label, compact, turnTokens,
                        local.groups().size(), 0);
                double localWall = (double) local.figures().get("wall_s");
                double remoteWall = (double) remote.figures().get("wall_s");
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("engine", url.toString());
                out.put("wall_s", remoteWall);
                out.put("groups_per_s", remote.figures().get("groups_per_s"));
                out.put("local_groups_per_s", local.figures().get("groups_per_s"));
                out.put("overhead", round4((remoteWall - localWall) / localWall));
                out.put("http_share_of_wall", round4(Math.max(0, remoteWall - localWall)
                        / remoteWall));
                out.put("same_tokens_as_local", sameTokens(local.groups(), remote.groups()));
                out.put("time_split", remote.figures().get("time_split"));
                return out;
            }
        } finally {
            if (server != null) {
                try {
                    server.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            FileUtils.deleteDirectory(scratch.toFile());
        }
    }

    /** Whether every trajectory of both runs sampled the same token ids, turn by turn. */
    private static boolean sameTokens(List<RolloutGroup> a, List<RolloutGroup> b) {
        return tokens(a).equals(tokens(b));
    }

    private static List<List<Integer>> tokens(List<RolloutGroup> groups) {
        return groups.stream().flatMap(g -> g.getTrajectories().stream())
                .flatMap(t -> t.getTurns().stream())
                .map(turn -> List.copyOf(turn.getCompletionTokenIds())).toList();
    }

    /** A timed run's figures and its groups. */
    private record Timed(Map<String, Object> figures, List<RolloutGroup> groups) {}

    /**
     * Rolls out batches of {@code --batch-tasks} tasks until {@code maxTasks} are done or, when
     * {@code seconds > 0}, no batch is left to start within that time; serializes each batch's
     * groups as soon as it is done, as the service does before its Kafka send.
     */
    private Timed timed(SelfPlay selfPlay, RunClocks clocks, Policy policy, String label,
            boolean compact, int turnTokens, int maxTasks, int seconds) {
        // A warm-up before anything is timed: one task is enough for the JIT to compile the
        // paths the run takes (a batch of the 40M model takes minutes on two cores); the
        // inference server gets a whole batch, so that its HTTP, JSON and batching are warm too.
        int warmUp = options.remote() ? options.batchTasks() : 1;
        selfPlay.rollout(BenchTasks.negotiations(Math.min(maxTasks, warmUp), "warm-up", 0), 0);
        RunClocks.Reading before = clocks.read();
        List<RolloutGroup> groups = new ArrayList<>();
        long bytes = 0;
        long avro = 0;
        long start = System.nanoTime();
        long limit = seconds > 0 ? start + seconds * 1_000_000_000L : Long.MAX_VALUE;
        try (RolloutGroupSerializer serializer = new RolloutGroupSerializer()) {
            while (groups.size() < maxTasks && System.nanoTime() < limit) {
                List<PromptTask> batch = BenchTasks.negotiations(
                        Math.min(options.batchTasks(), maxTasks - groups.size()), "bench",
                        groups.size());
                List<RolloutGroup> done = selfPlay.rollout(batch, 0);
                long serializing = System.nanoTime();
                for (RolloutGroup group : done) {
                    bytes += serializer.serialize(ROLLOUTS_TOPIC, group).length;
                }
                avro += System.nanoTime() - serializing;
                groups.addAll(done);
            }
        }
        long end = System.nanoTime();
        TimeSplit split = new TimeSplit(end - start, clocks.read().minus(before), avro);
        double wall = (end - start) / 1e9;
        double model = split.allModelNanos() / 1e9;
        long generated = groups.stream().flatMap(g -> g.getTrajectories().stream())
                .map(Trajectory::getTurns).flatMap(List::stream)
                .mapToLong(t -> t.getCompletionTokenIds().size()).sum();
        long resolutions = groups.stream().flatMap(g -> g.getTrajectories().stream())
                .filter(t -> t.getResolution() != null).count();
        progress("done: " + groups.size() + " tasks in " + round(wall) + " s");

        Map<String, Object> run = new LinkedHashMap<>();
        run.put("model", label);
        run.put("parameters", policy.model().parameters().count());
        run.put("prompts", compact ? "compact" : "shipped");
        run.put("tasks", groups.size());
        run.put("batch_tasks", options.batchTasks());
        run.put("group_size", options.groupSize());
        run.put("turns", options.turns());
        run.put("turn_tokens", turnTokens);
        run.put("groups", groups.size());
        run.put("trajectories", groups.size() * options.groupSize());
        run.put("resolutions", resolutions);
        run.put("wall_s", round(wall));
        run.put("groups_per_s", round(groups.size() / wall));
        run.put("generated_tokens", generated);
        run.put("generated_tokens_per_s", round(generated / wall));
        run.put("model_calls", split.clocks().calls());
        run.put("model_tokens_incl_judge", split.clocks().tokens());
        run.put("model_s", round(model));
        run.put("outside_model_s", round(wall - model));
        run.put("outside_model_share", round4((wall - model) / wall));
        run.put("time_split", split.toMap());
        run.put("serialization", serializationFigures(groups, bytes, avro / 1e9, wall));
        return new Timed(run, groups);
    }

    private static Map<String, Object> serializationFigures(List<RolloutGroup> groups,
            long bytes, double once, double wall) {
        long start = System.nanoTime();
        for (int i = 0; i < SERIALIZATION_REPEATS; i++) {
            serialize(groups);
        }
        double perGroup = (System.nanoTime() - start) / 1e9 / SERIALIZATION_REPEATS
                / groups.size();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("bytes_per_group", bytes / groups.size());
        out.put("first_pass_s", round4(once));
        out.put("share_of_wall", round4(once / wall));
        out.put("warm_ms_per_group", round4(perGroup * 1e3));
        return out;
    }

    private static long serialize(List<RolloutGroup> groups) {
        long bytes = 0;
        try (RolloutGroupSerializer serializer = new RolloutGroupSerializer()) {
            for (RolloutGroup group : groups) {
                bytes += serializer.serialize(ROLLOUTS_TOPIC, group).length;
            }
        }
        return bytes;
    }

    private NegotiationSettings settings(int k) {
        return new NegotiationSettings(options.groupSize(), options.turns(), 2,
                new TurnSampling(0.7, 0.95, k), new TurnSampling(0.1, 0.95, k),
                new TurnSampling(0.7, 0.95, k), 4, 1, false);
    }

    /** The compact prompts shipped with the benchmark, in a temporary folder. */
    private static Path compactPrompts() throws IOException {
        Path folder = Files.createTempDirectory("rollout-bench-prompts");
        for (String name : PROMPT_FILES) {
            try (InputStream in = RolloutBenchmark.class.getResourceAsStream(
                    "compact-prompts/" + name + ".txt")) {
                if (in == null) {
                    throw new IllegalStateException("missing compact prompt " + name);
                }
                Files.copy(in, folder.resolve(name + ".txt"));
            }
        }
        return folder;
    }

    static Options parse(String[] args) {
        Path model = null;
        Path fixture = Path.of(System.getProperty("pipeline.root", "."), "models",
                "qwen2-tiny-random");
        Integer tasks = null;
        Integer seconds = null;
        int batchTasks = DEFAULT_BATCH_TASKS;
        int groupSize = 8;
        int turns = 4;
        Path benchModel = null;
        int turnTokens = 0;
        boolean shipped = false;
        boolean remote = false;
        URI remoteUrl = null;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (args[i].equals("--shipped-prompts")) {
                shipped = true;
                continue;
            }
            switch (args[i]) {
                case "--model" -> model = Path.of(require(args[i], value));
                case "--fixture" -> fixture = Path.of(require(args[i], value));
                case "--bench-model" -> benchModel = Path.of(require(args[i], value));
                case "--tasks" -> tasks = integer(args[i], value);
                case "--seconds" -> seconds = integer(args[i], value);
                case "--batch-tasks" -> batchTasks = integer(args[i], value);
                case "--group-size" -> groupSize = integer(args[i], value);
                case "--turns" -> turns = integer(args[i], value);
                case "--turn-tokens" -> turnTokens = integer(args[i], value);
                case "--generation" -> remote = switch (require(args[i], value)) {
                    case "local" -> false;
                    case "remote" -> true;
                    default -> throw new IllegalArgumentException("--generation is local or"
                            + " remote, was " + value);
                };
                case "--remote-url" -> remoteUrl = URI.create(require(args[i], value));
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (known: --model, --fixture, --bench-model, --tasks, --seconds, "
                        + "--batch-tasks, --group-size, --turns, --turn-tokens, "
                        + "--shipped-prompts, --generation, --remote-url)");
            }
            i++;
        }
        if (remoteUrl != null && !remote) {
            throw new IllegalArgumentException("--remote-url needs --generation remote");
        }
        // Neither: 30 s. One alone is the run's only bound; both: whichever comes first.
        int maxTasks = tasks != null ? tasks : Integer.MAX_VALUE;
        int maxSeconds = seconds != null ? seconds : tasks != null ? 0 : DEFAULT_SECONDS;
        return new Options(model, fixture, benchModel, maxTasks, maxSeconds, batchTasks,
                groupSize, turns, turnTokens, shipped, remote, remoteUrl);
    }

    private static int integer(String option, String value) {
        try {
            return Integer.parseInt(require(option, value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, was " + value);
        }
    }

    private static String require(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }

    /** A line on stderr: stdout carries only the JSON. */
    private static void progress(String line) {
        System.err.println("bench rollout: " + line);
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    private static double round4(double value) {
        return Math.round(value * 10000) / 10000.0;
    }
}
