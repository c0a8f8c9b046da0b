package ai.collectiveagency.demo.chaos;

import ai.collectiveagency.demo.cli.CommandMain;
import ai.collectiveagency.demo.dashboard.OffsetReader;
import ai.collectiveagency.demo.fleet.Fleet;
import ai.collectiveagency.demo.fleet.LoopServices;
import ai.collectiveagency.demo.fleet.ServiceSpec;
import ai.collectiveagency.kafka.LocalKafka;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.PipelineClient;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import ai.collectiveagency.schemas.kafka.KafkaClientSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code chaos [--minutes M] [--seed S] [--model DIR] [--run NAME] [--runs-dir DIR]}: the
 * demo's loop under a seeded fault schedule, then an account of every task. The fleet is the
 * demo's ({@link LoopServices}) on a new run folder. During the run each service is killed with
 * SIGKILL once and started again, the broker is restarted once, and a garbage record and a
 * tombstone go into each consumed topic ({@link FaultSchedule}, {@link FaultInjector}); each
 * fault is printed as it happens. Then the loop drains ({@link Drain}), and every task id ever
 * written to {@code alignment.prompts} is accounted for ({@link Reconciliation}): a table, then
 * one JSON line. Exits 1 when a task was lost or trained twice, or a fault could not be
 * carried out.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = "Runs the loop under SIGKILLs, a broker restart and poison records, "
                + "then accounts for every task.")
public final class ChaosCommand implements Callable<Integer> {

    /** Exit code of a run that lost or double-trained a task, or missed a fault. */
    public static final int FAILED = 1;

    private static final Duration SERVICE_START = Duration.ofMinutes(3);
    /** The longest the loop gets to work off what is in flight at the end. */
    private static final Duration DRAIN = Duration.ofMinutes(3);
    private static final List<LogicalTopic> CONSUMED = List.of(LogicalTopic.PROMPTS,
            LogicalTopic.ROLLOUTS, LogicalTopic.SCORED);

    @Option(names = "--minutes", defaultValue = "5",
            description = "How long the faults go on, before the drain "
                    + "(default: ${DEFAULT-VALUE}).")
    private double minutes;

    @Option(names = "--seed", defaultValue = "1",
            description = "Seeds the fault schedule, the poison bytes and, as in the demo, the "
                    + "tasks and the LoRA initialisation (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--model", defaultValue = "models/negotiator-tiny",
            description = "The policy's base model, a Hugging Face folder "
                    + "(default: ${DEFAULT-VALUE}).")
    private Path model;

    @Option(names = "--run",
            description = "The run's folder under the runs folder; it must not exist yet "
                    + "(default: chaos-<date>-<time>).")
    private String run;

    @Option(names = "--runs-dir", defaultValue = "runs",
            description = "The folder of run folders; a relative one is in the checkout "
                    + "(default: ${DEFAULT-VALUE}).")
    private Path runsDir;

    private final Path root;
    private final PrintStream out;

    ChaosCommand(Path root, PrintStream out) {
        this.root = root;
        this.out = out;
    }

    public static void main(String[] args) {
        CommandMain.run(ChaosCommand::new, args);
    }

    @Override
    public Integer call() throws Exception {
        Path modelFolder = root.resolve(model).normalize();
        if (!Files.isRegularFile(modelFolder.resolve("config.json"))) {
            System.err.println("error: " + modelFolder + " is not a model folder (no config.json)");
            return CommandMain.USAGE_ERROR;
        }
        String name = run != null ? run : "chaos-" + LocalDateTime.now().format(
                DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path runFolder = root.resolve(runsDir).resolve(name).normalize();
        if (!isEmpty(runFolder)) {
            // Every task id ever written is accounted for: a run starts on an empty broker.
            System.err.println("error: " + runFolder + " exists; a chaos run needs a new one "
                    + "(--run NAME)");
            return CommandMain.USAGE_ERROR;
        }
        Duration length = Duration.ofMillis(Math.round(minutes * 60_000));
        TopicCatalogue topics = TopicCatalogue.defaults();
        List<String> poisoned = CONSUMED.stream().map(topics::name).toList();
        List<String> services = Arrays.stream(new PipelineClient[] {
                PipelineClient.PROMPT_GENERATOR, PipelineClient.ROLLOUT_SERVICE,
                PipelineClient.REWARD_SERVICE, PipelineClient.TRAINER_SERVICE})
                .map(PipelineClient::user).toList();
        List<Fault> schedule = FaultSchedule.draw(seed, length, services, poisoned);
        FaultTally tally = new FaultTally(services);
        out.printf("chaos: run %s, model %s, seed %d, faults for %s%n", runFolder, modelFolder,
                seed, length);
        Accounting accounting;
        try (Fleet fleet = Fleet.on(LocalKafka.start(runFolder.resolve("kafka"),
                LocalKafka.ANY_PORT, topics), runFolder.resolve("logs"))) {
            LoopServices loop = LoopServices.of(root, fleet.kafka(), modelFolder, runFolder,
                    seed, Optional.empty());
            for (ServiceSpec service : loop.inStartOrder()) {
                fleet.start(service, SERVICE_START);
            }
            RunClock clock = new RunClock();
            out.println(clock.stamp() + "  all services up; logs in " + runFolder.resolve("logs")
                    + "; the schedule:");
            schedule.forEach(f -> out.printf("          at %s  %s%n", RunClock.stamp(f.at()),
                    f.describe()));
            TrainerStore store = new TrainerStore(loop.store());
            KafkaClientSettings kafka = KafkaClientSettings.plaintext(fleet.bootstrapServers());
            try (OffsetReader offsets = OffsetReader.connect(kafka, poisoned,
                    Duration.ofSeconds(3))) {
                Runnable progress = () -> progress(clock, offsets, topics, store);
                new FaultInjector(fleet, tally, seed, clock, out).run(schedule, progress);
                clock.waitUntil(length, progress);
            }
            try (RunFactsReader reader = RunFactsReader.open(kafka, topics, store)) {
                new Drain(fleet, reader, tally, clock, out).run(DRAIN);
                accounting = Reconciliation.of(reader.read(tally.poison()));
            }
        }
        ChaosReport report = new ChaosReport(topics.name(LogicalTopic.PROMPTS), accounting,
                tally);
        report.print(out);
        return report.failed() ? FAILED : 0;
    }

    /** One line: records written to each stage's topic, the trainer's latest checkpoint. */
    private void progress(RunClock clock, OffsetReader offsets, TopicCatalogue topics,
            TrainerStore store) {
        String written = offsets.read().map(o -> String.format("tasks %d, groups %d, scored %d",
                o.written(topics.name(LogicalTopic.PROMPTS)),
                o.written(topics.name(LogicalTopic.ROLLOUTS)),
                o.written(topics.name(LogicalTopic.SCORED)))).orElse("broker not answering");
        String checkpoint;
        try {
            checkpoint = store.latestValid().map(c -> "checkpoint v" + c.version())
                    .orElse("no checkpoint yet");
        } catch (RuntimeException e) {
            checkpoint = "checkpoint unreadable: " + e.getMessage();
        }
        out.println(clock.stamp() + "  written: " + written + " (offsets, poison and "
                + "transaction markers included); " + checkpoint);
    }

    private static boolean isEmpty(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return true;
        }
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.findAny().isEmpty();
        }
    }
}
