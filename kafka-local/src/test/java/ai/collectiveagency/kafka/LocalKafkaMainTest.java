package ai.collectiveagency.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.schemas.topics.PipelineClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the command line as a child JVM on the test classpath. */
class LocalKafkaMainTest {

    private static final long STOP_BOUND_SECONDS = 20;

    @TempDir
    Path dataDir;

    @Test
    void mainPrintsTheListeningLineAndStopsOnDestroy() throws Exception {
        int port = FreePort.pick();
        Process process = start("--data", dataDir.toString(), "--port", Integer.toString(port))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String line = firstLine(process);

            assertThat(line).isEqualTo(
                    "kafka listening on 127.0.0.1:" + port + " (data " + dataDir + ")");
            process.destroy();
            assertThat(process.waitFor(STOP_BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void badPortExitsWithCodeTwoAndAnErrorLine() throws Exception {
        Process process = start("--data", dataDir.toString(), "--port", "ninety")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String error;
            try (BufferedReader reader = reader(process)) {
                error = reader.readLine();
            }

            assertThat(process.waitFor(STOP_BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isEqualTo(LocalKafkaMain.USAGE_ERROR);
            assertThat(error).startsWith("error: ").contains("--port");
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void secureStartPrintsTheCaAndEveryUsersClientFile() throws Exception {
        Process process = start("--data", dataDir.toString(), "--port",
                Integer.toString(FreePort.pick()), "--secure")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                process.getInputStream(), StandardCharsets.UTF_8))) {
            List<String> lines = new java.util.ArrayList<>();
            for (int i = 0; i < 2 + PipelineClient.values().length; i++) {
                lines.add(reader.readLine());
            }

            assertThat(lines.get(0)).startsWith("kafka listening on 127.0.0.1:");
            assertThat(lines.get(1)).contains("SASL_SSL", dataDir.resolve("ca.crt").toString());
            for (PipelineClient client : PipelineClient.values()) {
                assertThat(lines).anyMatch(line -> line.startsWith("kafka: user " + client.user()
                        + ": " + dataDir.resolve("client-" + client.user() + ".properties")));
            }
            process.destroy();
            assertThat(process.waitFor(STOP_BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
        } finally {
            process.destroyForcibly();
        }
    }

    private static ProcessBuilder start(String... args) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new java.util.ArrayList<>(List.of(
                java.toString(), "-cp", System.getProperty("java.class.path"),
                LocalKafkaMain.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    private static String firstLine(Process process) throws IOException {
        BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        return reader.readLine();
    }

    private static BufferedReader reader(Process process) {
        return new BufferedReader(
                new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
    }
}
