package ai.collectiveagency.demo.cli;

import ai.collectiveagency.demo.dashboard.Dashboard;
import ai.collectiveagency.demo.dashboard.OffsetReader;
import ai.collectiveagency.demo.dashboard.RunSeries;
import ai.collectiveagency.demo.fleet.Fleet;
import ai.collectiveagency.demo.fleet.LoopServices;
import ai.collectiveagency.demo.fleet.ReplicaScaler;
import ai.collectiveagency.demo.fleet.RunKeys;
import ai.collectiveagency.demo.fleet.RunMode;
import ai.collectiveagency.demo.fleet.ScaledStage;
import ai.collectiveagency.demo.fleet.ServiceSpec;
import ai.collectiveagency.demo.report.Adoption;
import ai.collectiveagency.demo.report.EarlierSessions;
import ai.collectiveagency.demo.report.MetricsLog;
import ai.collectiveagency.demo.report.RunRecord;
import ai.collectiveagency.demo.report.RunReport;
import ai.collectiveagency.demo.report.RunSamples;
import ai.collectiveagency.demo.samples.SampleFiles;
import ai.collectiveagency.demo.samples.SampleLog;
import ai.collectiveagency.kafka.LocalKafka;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.PipelineClient;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code demo [--mode negotiation|single-agent] [--minutes M] [--model DIR] [--judge-url URL
 * --judge-model NAME] [--run NAME] [--runs-dir DIR] [--secure] [--replicas SERVICE=N,...]}: the
 * whole loop on this machine. Starts
 * the local Kafka broker (data in {@code runs/<name>/kafka}, so a second run continues), the
 * four services and the evaluation-service (win rates of the run's checkpoints against the base
 * model) as separate processes on loopback, prints a progress line, serves a live dashboard
 * (uPlot charts at {@code http://127.0.0.1:8090/}), and stops everything cleanly after the time
 * limit or on Ctrl-C, leaving the run's {@code report.html} and {@code metrics.jsonl} in its
 * folder, and appending every scored trajectory to its {@code samples.jsonl} ({@link SampleLog}),
 * from which the report's sample negotiations are read. The reward is the offline embedding
 * scorer unless a judge is named. The run's checkpoint-signing key pair lives in {@code
 * runs/<name>/keys} ({@link RunKeys}), kept across sessions.
 *
 * <p>{@code --mode single-agent} trains the paper's single-agent baseline instead of the
 * negotiation policy: every service starts with its {@code single-agent} profile
 * ({@link RunMode}), in a run folder of its own by default ({@code demo-single-agent}), so that
 * its checkpoints can be compared with a negotiation run's.
 *
 * <p>The scaled stages (rollout-service, reward-service; {@link ScaledStage}) run as many
 * processes as {@code --replicas} says, and {@link ScaleConsole} changes that while the loop
 * runs; the progress line, the dashboard and {@code metrics.jsonl} show every replica, read
 * from its {@code /q/metrics}.
 *
 * <p>Each service process gets its Kafka settings as {@code KAFKA_*} environment variables and
 * otherwise only what {@link ai.collectiveagency.demo.fleet.ChildEnvironment} passes on. With
 * {@code --secure} the broker speaks SASL_SSL only, each service connects as its own user with
 * the ACLs the topic catalogue gives it, and the dashboard and readers as the read-only observer.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Runs the whole loop on this machine: Kafka, the four services and "
                + "the evaluation-service.")
public final class DemoCommand implements Callable<Integer> {

    /** The judge's API key, read from the demo's environment and given to reward-service. */
    private static final String JUDGE_KEY = "REWARD_JUDGE_API_KEY";
    /** How long Ctrl-C waits for the report before the JVM exits regardless. */
    private static final Duration REPORT_BOUND = Duration.ofSeconds(30);
    /** How long each service may take to start. */
    private static final Duration SERVICE_START = Duration.ofMinutes(3);

    @Option(names = "--mode", defaultValue = "negotiation",
            description = "What the run trains: negotiation (negotiation tasks, self-play) or "
                    + "single-agent (the paper's single-agent baseline: single tasks, every "
                    + "service under its single-agent profile) (default: ${DEFAULT-VALUE}).")
    private RunMode mode;

    @Option(names = "--minutes", defaultValue = "10",
            description = "How long to run (default: ${DEFAULT-VALUE}).")
    private double minutes;

    @Option(names = "--model", defaultValue = "models/negotiator-tiny",
            description = "The policy's base model, a Hugging Face folder "
                    + "(default: ${DEFAULT-VALUE}).")
    private Path model;

    @Option(names = "--judge-url",
            description = "An OpenAI-compatible endpoint for the CA judge; without it the "
                    + "reward is the offline negotiation reward. The key is read from "
                    + "$REWARD_JUDGE_API_KEY.")
    private URI judgeUrl;

    @Option(names = "--judge-model", description = "The judge's model name.")
    private String judgeModel;

    @Option(names = "--seed", defaultValue = "1",
            description = "Seeds the tasks (prompts.seed), and with them every sampled "
                    + "trajectory, and the LoRA initialisation (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--dashboard-port", defaultValue = "8090",
            description = "Port of the live dashboard on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    private int dashboardPort;

    @Option(names = "--run",
            description = "The run's folder under the runs folder (default: demo, or "
                    + "demo-single-agent with --mode single-agent).")
    private String run;

    @Option(names = "--secure",
            description = "Kafka over SASL_SSL only: each service its own SCRAM user with "
                    + "ACLs for exactly its topics and groups, the dashboard a read-only user.")
    private boolean secure;

    @Option(names = "--replicas", split = ",", paramLabel = "SERVICE=N",
            description = "Processes of a scaled stage, each in its stage's consumer group with "
                    + "its own ports and log (logs/<service>-<i>.log): rollout-service and "
                    + "reward-service, 1 to their input topic's partitions (default: 1 each). "
                    + "While the loop runs, 'scale SERVICE N', '+SERVICE' and '-SERVICE' on "
                    + "standard input change them.")
    private Map<String, Integer> replicas = new LinkedHashMap<>();

    @Option(names = "--inference-server",
            description = "Generate rollouts in a separate inference server process (the"
                    + " rollout-service's inference-server profile), driven by the"
                    + " rollout-services in remote mode over vLLM's protocol; checkpoints"
                    + " reach it by runtime LoRA loading.")
    boolean inferenceServer;

    @Option(names = "--samples-max-mib", defaultValue = "64",
            description = "The size in MiB past which samples.jsonl is rotated to "
                    + "samples.1.jsonl (older ones shift; " + SampleLog.KEEP + " are kept) "
                    + "(default: ${DEFAULT-VALUE}).")
    private int samplesMaxMib;

    @Option(names = "--runs-dir", defaultValue = "runs",
            description = "The folder of run folders; a relative one is in the checkout, "
                    + "like --model (default: ${DEFAULT-VALUE}).")
    private Path runsDir;

    private final Path root;
    private final PrintStream out;

    DemoCommand(Path root, PrintStream out) {
        this.root = root;
        this.out = out;
    }

    public static void main(String[] args) {
        CommandMain.run(DemoCommand::new, args);
    }

    @Override
    public Integer call() throws Exception {
        if (judgeUrl != null && judgeModel == null) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--judge-url needs --judge-model");
        }
        TopicCatalogue topics = TopicCatalogue.defaults();
        Map<ScaledStage, Integer> counts = new EnumMap<>(ScaledStage.class);
        for (Map.Entry<String, Integer> entry : replicas.entrySet()) {
            Optional<String> refusal = ScaledStage.refusal(entry.getKey(), entry.getValue(),
                    topics);
            if (refusal.isPresent()) {
                System.err.println("error: --replicas: " + refusal.get());
                return CommandMain.USAGE_ERROR;
            }
            counts.put(ScaledStage.of(entry.getKey()).orElseThrow(), entry.getValue());
        }
        if (samplesMaxMib < 1) {
            System.err.println("error: --samples-max-mib must be at least 1, not "
                    + samplesMaxMib);
            return CommandMain.USAGE_ERROR;
        }
        Path modelFolder = root.resolve(model).normalize();
        if (!Files.isRegularFile(modelFolder.resolve("config.json"))) {
            System.err.println("error: " + modelFolder + " is not a model folder (no config.json)");
            return CommandMain.USAGE_ERROR;
        }
        String name = runName();
        Path runFolder = root.resolve(runsDir).resolve(name).normalize();
        Duration limit = Duration.ofMillis(Math.round(minutes * 60_000));
        out.printf("demo: %s run %s, model %s, reward %s, for %s%n", mode, runFolder,
                modelFolder, judgeUrl == null ? "offline negotiation reward (both sides of each task)"
                        : judgeUrl, limit);
        EarlierSessions.keep(runFolder).ifPresent(earlier -> out.println(
                "demo: continuing run " + name + "; the earlier session's report is in "
                        + earlier));
        try (Fleet fleet = Fleet.on(startBroker(runFolder.resolve("kafka"), topics),
                runFolder.resolve("logs"));
                // Open before the services start, so that the run's first records are seen.
                TopicReaders readers = TopicReaders.open(
                        fleet.kafka().clientSettings(PipelineClient.OBSERVER), topics);
                RunRecord record = new RunRecord(new RunSeries(), SampleLog.open(runFolder,
                        (long) samplesMaxMib << 20, SampleLog.KEEP),
                        MetricsLog.create(runFolder.resolve(MetricsLog.FILE)), Instant.now());
                GracefulStop stop = GracefulStop.install(REPORT_BOUND)) {
            try {
                LoopServices services = LoopServices.of(root, fleet.kafka(), modelFolder,
                        runFolder, seed, judge(), mode, inferenceServer);
                record.series().generation(services.inferenceServer()
                        .map(server -> "remote: the inference server at " + server.url()
                                + " (vLLM's protocol; checkpoints by runtime LoRA loading)")
                        .orElse("local: the Java decoder in each rollout-service"));
                if (startServices(fleet, services.demoInStartOrder(counts), stop)) {
                    watch(fleet, new ReplicaScaler(fleet, services, topics, SERVICE_START, out),
                            topics, readers, record, runFolder, limit, stop);
                }
            } finally {
                // Also on Ctrl-C (the hook waits for it) and when a service failed to start.
                RunSamples samples = RunSamples.read(runFolder);
                record.samplesRead(samples);
                Path report = RunReport.write(runFolder, record.summary(name, Instant.now()),
                        record.series().json(), samples);
                out.println("demo: report " + report + "; metrics in "
                        + runFolder.resolve(MetricsLog.FILE) + "; samples in "
                        + SampleFiles.current(runFolder));
                out.println("demo: " + samples.heldOut().inWords());
                out.println("demo: " + adoptionSummary(record.adoptions()));
            }
        }
        out.println("demo: stopped; checkpoints in " + runFolder.resolve("checkpoints"));
        return 0;
    }

    /** {@code --run}, else the mode's own folder: {@code demo}, {@code demo-single-agent}. */
    String runName() {
        return run != null ? run : mode == RunMode.NEGOTIATION ? "demo" : "demo-" + mode;
    }

    /** The judge named on the command line; its key from the demo's environment. */
    private Optional<LoopServices.Judge> judge() {
        return judgeUrl == null ? Optional.empty() : Optional.of(new LoopServices.Judge(
                judgeUrl, judgeModel, System.getenv(JUDGE_KEY)));
    }

    private LocalKafka startBroker(Path data, TopicCatalogue topics) {
        if (!secure) {
            return LocalKafka.start(data, LocalKafka.ANY_PORT, topics);
        }
        LocalKafka kafka = LocalKafka.startSecure(data, LocalKafka.ANY_PORT, topics);
        out.println("demo: Kafka on SASL_SSL only; each service connects as its own user with "
                + "the ACLs of the topic catalogue; client settings in " + data
                + "/client-*.properties, CA " + kafka.caCertificate().orElseThrow());
        return kafka;
    }

    /**
     * How long checkpoints took from announcement to every rollout replica serving them: the
     * median and the longest, to the precision of the replicas' scrapes.
     */
    static String adoptionSummary(List<Adoption> adoptions) {
        if (adoptions.isEmpty()) {
            return "no checkpoint of this session was served by every rollout replica";
        }
        long[] lags = adoptions.stream().mapToLong(Adoption::lagMs).sorted().toArray();
        double median = lags.length % 2 == 1 ? lags[lags.length / 2]
                : (lags[lags.length / 2 - 1] + lags[lags.length / 2]) / 2.0;
        return String.format("%d checkpoints from announcement to every rollout replica "
                + "serving them: median %.1f s, max %.1f s (replicas read every %d s)",
                lags.length, median / 1000, lags[lags.length - 1] / 1000.0,
                ProgressLine.SCRAPE_EVERY.toSeconds());
    }

    /** Starts the services; false when a stop was asked for on the way. */
    private static boolean startServices(Fleet fleet, List<ServiceSpec> services,
            GracefulStop stop) throws InterruptedException {
        for (ServiceSpec service : services) {
            if (stop.requested()) {
                return false;
            }
            fleet.start(service, SERVICE_START);
        }
        return !stop.requested();
    }

    /**
     * The dashboard, the progress line and the replicas' control on standard input, until the
     * time limit or a stop.
     */
    private void watch(Fleet fleet, ReplicaScaler scaler, TopicCatalogue topics,
            TopicReaders readers, RunRecord record, Path runFolder, Duration limit,
            GracefulStop stop) throws InterruptedException {
        LocalKafka kafka = fleet.kafka();
        try (Dashboard dashboard = Dashboard.start(record.series(), dashboardPort);
                ScaleConsole console = ScaleConsole.listen(System.in, scaler, out);
                OffsetReader offsets = OffsetReader.connect(
                        kafka.clientSettings(PipelineClient.OBSERVER), List.of(
                        topics.name(LogicalTopic.PROMPTS), topics.name(LogicalTopic.ROLLOUTS),
                        topics.name(LogicalTopic.SCORED)), Duration.ofSeconds(3))) {
            out.println("demo: all services up; dashboard " + dashboard.url() + "; logs in "
                    + runFolder.resolve("logs") + "; Ctrl-C stops everything; 'help' on "
                    + "standard input lists the replica commands");
            new ProgressLine(fleet, readers, offsets, record, topics, out)
                    .run(limit, stop::requested);
        }
    }
}
