package ai.collectiveagency.demo.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.demo.cli.DemoProcess;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code ./pipeline chaos --minutes 2} end to end, the way a user runs it: the script itself as
 * a process on the jars this build just packaged (a failsafe test; the script is told not to
 * build), its run folder under {@code target/}. Each service is killed with SIGKILL and comes
 * back, the broker restarts, poison goes into each consumed topic; at the end every task is
 * accounted for, none lost and none trained twice, and the command exits 0 having stopped
 * everything it started.
 */
class ChaosCommandIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path WORK = Path.of("target/chaos-it").toAbsolutePath();
    private static final String RUN = "chaos-command-it";
    private static final List<String> SERVICES = List.of("prompt-generator", "rollout-service",
            "reward-service", "trainer-service");
    /**
     * A hang guard, not a timing assertion: starting four services on a busy 2-core machine,
     * two minutes of faults (each restart awaited), and a drain of at most three minutes.
     */
    private static final Duration DONE = Duration.ofMinutes(20);

    @Test
    void everyServiceKilledAndTheBrokerRestartedAndNoTaskLostOrTrainedTwice() throws Exception {
        Path runs = WORK.resolve("runs");
        deleteRecursively(runs.resolve(RUN));
        DemoProcess chaos = DemoProcess.start(ROOT, Map.of("PIPELINE_NO_BUILD", "1"),
                WORK.resolve("chaos-stderr.log"), List.of("chaos", "--minutes", "2", "--seed",
                        "7", "--runs-dir", runs.toString(), "--run", RUN));
        OptionalInt exitCode;
        List<ProcessHandle> aliveAtExit;
        List<ProcessHandle> aliveAfterCleanup;
        try {
            exitCode = chaos.awaitExit(DONE);
            aliveAtExit = chaos.alive();
        } finally {
            aliveAfterCleanup = chaos.destroyTree(Duration.ofSeconds(30));
        }

        List<String> lines = chaos.lines();
        assertThat(lines).as("stdout; stderr:\n" + chaos.stderr()).isNotEmpty();
        JsonNode last = new ObjectMapper().readTree(lines.get(lines.size() - 1));
        assertThat(last.path("lost").asInt(-1)).as("lost, in " + last).isZero();
        assertThat(last.path("trained_twice").asInt(-1)).as("trained_twice, in " + last)
                .isZero();
        assertThat(last.path("tasks").asInt()).as("tasks, in " + last).isPositive();
        assertThat(last.path("trained").asInt()).as("trained, in " + last).isPositive();
        for (String service : SERVICES) {
            assertThat(last.path("kills").path(service).asInt()).as("kills of " + service)
                    .isGreaterThanOrEqualTo(1);
        }
        assertThat(last.path("broker_restarts").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(lines).as("a line per fault as it happens")
                .anyMatch(l -> l.contains("SIGKILL trainer-service"))
                .anyMatch(l -> l.contains("broker up again"))
                .anyMatch(l -> l.contains(PoisonRecords.tombstoneKey(
                        TopicCatalogue.defaults().name(LogicalTopic.SCORED))));
        assertThat(exitCode).as("exit code (empty: still running)").hasValue(0);
        assertThat(aliveAtExit).as("processes alive when chaos had exited").isEmpty();
        assertThat(aliveAfterCleanup).as("processes alive after destroying its tree").isEmpty();
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
