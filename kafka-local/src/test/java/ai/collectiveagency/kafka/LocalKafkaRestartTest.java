package ai.collectiveagency.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKafkaRestartTest {

    @TempDir
    Path dataDir;

    @Test
    void closeLeavesNoThreadThatBlocksJvmExit() {
        Set<Thread> before = liveNonDaemonThreads();

        LocalKafka.startTemporary().close();

        assertThat(liveNonDaemonThreads()).isSubsetOf(before);
    }

    private static Set<Thread> liveNonDaemonThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && !thread.isDaemon())
                .collect(Collectors.toSet());
    }

    @Test
    void portInUseIsRefusedBeforeTheFolderIsTouched() throws Exception {
        Path folder = dataDir.resolve("never-created");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> LocalKafka.start(
                    folder, taken.getLocalPort(), TopicCatalogue.defaults()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("in use");
        }
        assertThat(folder).doesNotExist();
    }

    @Test
    void brokerRestartedOnTheSameFolderStillHasTheEarlierRecord() throws Exception {
        TopicCatalogue catalogue = TopicCatalogue.withPrefix("restart.");
        String checkpoints = catalogue.name(LogicalTopic.CHECKPOINTS);
        try (LocalKafka first = LocalKafka.start(dataDir, LocalKafka.ANY_PORT, catalogue)) {
            Records.send(first, checkpoints, "policy", "v1");
        }

        try (LocalKafka second = LocalKafka.start(dataDir, LocalKafka.ANY_PORT, catalogue)) {
            assertThat(Records.readOne(second, checkpoints).value()).isEqualTo("v1");
        }
    }
}
