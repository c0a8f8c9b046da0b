package ai.collectiveagency.demo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.collectiveagency.demo.fleet.ScaledStage;
import ai.collectiveagency.schemas.PolicyCheckpoint;
import ai.collectiveagency.schemas.Trajectory;
import ai.collectiveagency.schemas.signing.TrustedKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

/**
 * {@code ./pipeline demo --secure} end to end, the way a user runs it: the script itself as a
 * process, on the jars this build just packaged (a failsafe test, after {@code package}; the
 * script is told not to build), with the default model, for one minute, its run folder under
 * {@code target/}, the broker speaking SASL_SSL only and every service its own Kafka user (the
 * full loop trains over SASL_SSL; the plain broker's loop is {@code ClosedLoopTest}'s).
 * It checks what a user can see: the progress lines, the live dashboard in a headless browser
 * once training has started, the run folder (checkpoints, service logs, the report, the broker's
 * data read back), and that the command exits 0 after its time limit having stopped everything
 * it started, and that no service process got the demo's secrets or another service's Kafka
 * login. The demo runs once, before the tests; whatever it started is destroyed even when that
 * fails, and {@link #nothingIsLeftRunning()} checks it.
 */
@TestInstance(Lifecycle.PER_CLASS)
class DemoCommandIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path WORK = Path.of("target/demo-it").toAbsolutePath();
    private static final String RUN = "demo-command-it";
    private static final Path RUN_FOLDER = WORK.resolve("runs").resolve(RUN);
    /** Kept after the build for a human to look at. */
    private static final Path SCREENSHOT = WORK.resolve("dashboard.png");
    private static final List<String> SERVICES = List.of("prompt-generator", "rollout-service",
            "reward-service", "trainer-service", "evaluation-service");
    /** Hang guards, not timing assertions: the demo gives each service 3 minutes to start. */
    private static final Duration SERVICES_UP = Duration.ofMinutes(14);
    private static final Duration STOPPED = Duration.ofMinutes(6);
    /** {@code t=00:05  step 4  checkpoint v2  reward 0.0000  kl NaN  groups/s 1.67  fleet v0}. */
    private static final Pattern PROGRESS = Pattern.compile(
            "^t=\\S+\\s+step (\\d+)\\s+checkpoint v(\\d+)\\s.*\\sfleet v(\\d+)$");
    private static final Pattern DASHBOARD = Pattern.compile("dashboard (http://[^;\\s]+)");
    /** In the demo's environment: no service may get them (no --judge-url is given). */
    private static final Map<String, String> DEMO_SECRETS = Map.of(
            "REWARD_JUDGE_API_KEY", "sk-demo-it-not-for-services",
            "DEMO_IT_UNRELATED_SECRET", "not-for-services-either");

    private DemoProcess demo;
    private OptionalInt exitCode = OptionalInt.empty();
    private List<ProcessHandle> aliveAtExit;
    private List<ProcessHandle> aliveAfterCleanup = List.of();
    private DashboardDom dashboard;
    private Exception browserFailure;
    private RunTopics topics;
    /** Each service process's environment, by service, read while it ran. */
    private final Map<String, Map<String, String>> serviceEnvironments = new TreeMap<>();

    /** One line of the demo's progress. */
    private record Progress(long step, long checkpoint, long fleetVersion) {
        static Optional<Progress> of(String line) {
            Matcher m = PROGRESS.matcher(line);
            return m.matches() ? Optional.of(new Progress(Long.parseLong(m.group(1)),
                    Long.parseLong(m.group(2)), Long.parseLong(m.group(3)))) : Optional.empty();
        }
    }

    @BeforeAll
    void runTheDemo() throws Exception {
        // Installed before the demo starts: a first install takes about a minute.
        HeadlessChromium chromium = HeadlessChromium.installed(ROOT, WORK.resolve("chromium"),
                Duration.ofSeconds(5));
        deleteRecursively(RUN_FOLDER);  // a second run would continue the first one's topics
        Map<String, String> environment = new HashMap<>(DEMO_SECRETS);
        environment.put("PIPELINE_NO_BUILD", "1");
        demo = DemoProcess.start(ROOT, environment, WORK.resolve("demo-stderr.log"), List.of(
                "demo", "--minutes", "1", "--runs-dir", RUN_FOLDER.getParent().toString(),
                "--run", RUN, "--dashboard-port", "0", "--secure"));
        try {
            String up = demo.awaitLine(l -> l.startsWith("demo: all services up"), SERVICES_UP)
                    .orElseThrow(() -> new AssertionError("no 'demo: all services up' line; "
                            + "stdout:\n" + String.join("\n", demo.lines()) + "\nstderr:\n"
                            + demo.stderr()));
            demo.awaitLine(l -> Progress.of(l).filter(p -> p.step() >= 1).isPresent(), STOPPED)
                    .orElseThrow(() -> new AssertionError("no progress line with a trainer "
                            + "step; stdout:\n" + String.join("\n", demo.lines())));
            readServiceEnvironments();
            Matcher url = DASHBOARD.matcher(up);
            assertThat(url.find()).as("dashboard URL in: " + up).isTrue();
            lookAtTheDashboard(chromium, url.group(1));
            exitCode = demo.awaitExit(STOPPED);
            aliveAtExit = demo.alive();
        } finally {
            aliveAfterCleanup = demo.destroyTree(Duration.ofSeconds(30));
        }
        topics = RunTopics.readBack(RUN_FOLDER.resolve("kafka"));
    }

    /** While the services run: each one's environment, from {@code /proc/<pid>/environ}. */
    private void readServiceEnvironments() throws IOException {
        for (Map.Entry<ProcessHandle, String> process : demo.descendantsSeen().entrySet()) {
            for (String service : SERVICES) {
                Path environ = Path.of("/proc", Long.toString(process.getKey().pid()), "environ");
                if (process.getValue().contains("/" + service + "/target/quarkus-app/")
                        && Files.isReadable(environ)) {
                    Map<String, String> variables = new TreeMap<>();
                    for (String entry : Files.readString(environ).split("\0")) {
                        int equals = entry.indexOf('=');
                        if (equals > 0) {
                            variables.put(entry.substring(0, equals), entry.substring(equals + 1));
                        }
                    }
                    serviceEnvironments.put(service, variables);
                }
            }
        }
    }

    /** While training runs: the page's DOM and a screenshot; a failure fails one test only. */
    private void lookAtTheDashboard(HeadlessChromium chromium, String url)
            throws InterruptedException {
        try {
            dashboard = DashboardDom.parse(chromium.dumpDom(url));
            chromium.screenshot(url, SCREENSHOT, 1400, 1800);
            System.out.println("dashboard screenshot: " + SCREENSHOT);
        } catch (IOException | RuntimeException e) {
            browserFailure = e;
        }
    }

    @Test
    void tasksAreGeneratedRolledOutScoredAndTrainedOn() {
        assertThat(topics.prompts()).as("tasks on the prompts topic").isNotEmpty();
        assertThat(topics.rollouts()).as("groups on the rollouts topic").isNotEmpty();
        assertThat(topics.scored()).as("groups on the scored topic").isNotEmpty()
                .allSatisfy(g -> assertThat(g.getScores()).as("scores").isNotEmpty());
        assertThat(topics.steps()).as("trainer steps on the metrics topic").isNotEmpty();
        assertThat(lastProgress().step()).as("step on the last progress line").isPositive();
    }

    @Test
    void checkpointsArePublishedAndAdoptedByTheRolloutService() throws IOException {
        assertThat(topics.checkpoints()).as("versions announced on the checkpoints topic")
                .extracting(PolicyCheckpoint::getVersion).anyMatch(v -> v > 0);
        try (Stream<Path> folders = Files.list(RUN_FOLDER.resolve("checkpoints"))) {
            assertThat(folders.filter(Files::isDirectory)).as("checkpoint folders").isNotEmpty();
        }
        assertThat(topics.scored().stream().flatMap(g -> g.getGroup().getTrajectories().stream())
                .map(Trajectory::getPolicyVersion)).as("policy versions of scored trajectories")
                .anyMatch(v -> v > 0);
        assertThat(RUN_FOLDER.resolve("logs/rollout-service-0.log")).content()
                .contains("serving checkpoint version");
        assertThat(lastProgress().checkpoint()).as("checkpoint on the last progress line")
                .isPositive();
        assertThat(lastProgress().fleetVersion()).as("fleet version on the last progress line")
                .isPositive();
    }

    @Test
    void checkpointsAreSignedWithTheRunsOwnKey() throws IOException {
        Path keys = RUN_FOLDER.resolve("keys");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                keys.resolve("trainer.key.pem")))).as("the private key's mode").isEqualTo(
                "rw-------");
        TrustedKeys runKey = TrustedKeys.fromPem(List.of(keys.resolve("trainer.pub.pem")));
        assertThat(topics.checkpoints()).as("announcements").isNotEmpty()
                .allMatch(c -> runKey.verify(c).valid(), "signed with the run's key");
    }

    @Test
    void everyServiceTalksToTheBrokerOverSaslSslAsItsOwnUser() {
        assertThat(demo.lines()).anyMatch(l -> l.startsWith("demo: Kafka on SASL_SSL only"));
        for (String service : SERVICES) {
            // Kafka's SASL login logs this once per process; the broker has no other listener.
            assertThat(RUN_FOLDER.resolve("logs/" + logOf(service))).content()
                    .as(service + "'s log").contains("Successfully logged in.")
                    .doesNotContain("failed authentication", "AuthorizationException");
        }
    }

    /** A service's log: the scaled stages' one replica is {@code <service>-0}. */
    private static String logOf(String service) {
        return ScaledStage.of(service).map(s -> service + "-0").orElse(service) + ".log";
    }

    @Test
    void eachServiceGetsItsOwnKafkaLoginAndNoneOfTheDemosSecrets() {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs /proc to read environments");
        assertThat(serviceEnvironments).as("services whose environment was read")
                .containsOnlyKeys(SERVICES);
        serviceEnvironments.forEach((service, variables) -> {
            assertThat(variables).as(service).containsEntry("KAFKA_SECURITY_PROTOCOL",
                    "SASL_SSL").doesNotContainKeys(DEMO_SECRETS.keySet().toArray(String[]::new));
            assertThat(variables.get("KAFKA_SASL_JAAS_CONFIG")).as(service)
                    .contains("username=\"" + service + "\"");
        });
    }

    @Test
    void dashboardChartsShowTheRunInAHeadlessBrowser() throws Exception {
        if (browserFailure != null) {
            throw browserFailure;
        }
        assertThat(dashboard.refreshed()).as("<body data-refreshed>").isPositive();
        assertThat(dashboard.plotting("reward")).as("charts with 'reward' in data-series of "
                + dashboard.charts()).isNotEmpty()
                .allSatisfy(c -> assertThat(c.points()).as("data-points").isPositive());
        assertThat(SCREENSHOT).isNotEmptyFile();
    }

    @Test
    void runReportAndMetricsAreWrittenAtTheEnd() {
        assertThat(RUN_FOLDER.resolve("report.html")).isNotEmptyFile();
        assertThat(RUN_FOLDER.resolve("metrics.jsonl")).isNotEmptyFile();
    }

    @Test
    void exitsZeroAfterItsTimeLimitHavingStoppedEverythingItStarted() {
        assertThat(exitCode).as("exit code (empty: still running after the time limit)")
                .hasValue(0);
        assertThat(demo.lines()).last().asString().startsWith("demo: stopped");
        Collection<String> started = demo.descendantsSeen().values();
        for (String service : SERVICES) {
            assertThat(started).as("command lines of the processes the demo started")
                    .anyMatch(c -> c.contains("/" + service + "/target/quarkus-app/"));
        }
        assertThat(aliveAtExit).as("processes alive when the demo had exited").isEmpty();
    }

    @AfterAll
    void nothingIsLeftRunning() {
        assertThat(aliveAfterCleanup).as("processes alive after destroying the demo's tree")
                .isEmpty();
    }

    private Progress lastProgress() {
        return demo.lines().stream().map(Progress::of).flatMap(Optional::stream)
                .reduce((first, second) -> second)
                .orElseThrow(() -> new AssertionError("no progress line"));
    }

    private static void deleteRecursively(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
