package ai.collectiveagency.rollout.api;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.policy.engine.JitTrapLimit;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged service as a user starts it: with no API key it refuses to start and names the
 * key; {@code rollout.api.auth=none} is refused on an address other hosts reach and accepted on
 * loopback, where the API answers without a key and health stays on the management port.
 */
class ApiStartupIT {

    private static final Path APP = Path.of("target/quarkus-app/quarkus-run.jar");
    private static final Path MODEL = Path.of("..", "models", "qwen2-tiny-random")
            .toAbsolutePath().normalize();
    private static final Path LOGS = Path.of("target/api-startup-it");
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void withoutAKeyTheServiceRefusesToStartAndNamesTheKey() throws Exception {
        Process service = start("no-key", List.of());

        assertThat(service.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(service.exitValue()).isNotZero();
        assertThat(log("no-key")).contains("rollout.api.keys (env ROLLOUT_API_KEYS) must list "
                + "at least one API key");
    }

    @Test
    void noAuthenticationIsRefusedOnAnAddressOtherHostsReach() throws Exception {
        Process service = start("none-public", List.of("-Drollout.api.auth=none",
                "-Dquarkus.http.host=0.0.0.0"));

        assertThat(service.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(service.exitValue()).isNotZero();
        assertThat(log("none-public")).contains("rollout.api.auth=none is only allowed while "
                + "the API binds a loopback address", "binds '0.0.0.0'");
    }

    @Test
    void noAuthenticationOnLoopbackServesWithoutAKey() throws Exception {
        int api = freePort();
        int management = freePort();
        Process service = start("none-loopback", List.of("-Drollout.api.auth=none",
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.management.host=127.0.0.1",
                "-Dquarkus.http.port=" + api, "-Dquarkus.management.port=" + management));
        try {
            HttpResponse<String> models = awaitAnswer(service,
                    URI.create("http://127.0.0.1:" + api + "/v1/models"));
            HttpResponse<String> live = get(URI.create("http://127.0.0.1:" + management
                    + "/q/health/live"));
            HttpResponse<String> healthOnApiPort = get(URI.create("http://127.0.0.1:" + api
                    + "/q/health/live"));

            assertThat(models.statusCode()).isEqualTo(200);
            assertThat(models.body()).contains("qwen2-tiny-random");
            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(healthOnApiPort.statusCode()).isEqualTo(404);
            assertThat(log("none-loopback")).contains("takes no key (rollout.api.auth=none)");
        } finally {
            service.destroy();
            if (!service.waitFor(30, TimeUnit.SECONDS)) {
                service.destroyForcibly();
            }
        }
    }

    /** The packaged service without a broker or checkpoints, its output in a log. */
    private static Process start(String name, List<String> settings) throws IOException {
        assertThat(APP).as("run with mvn verify: the IT needs the package phase")
                .isRegularFile();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "--add-modules", "jdk.incubator.vector", JitTrapLimit.FLAG,
                "-Drollout.model=" + MODEL, "-Drollout.checkpoints.enabled=false",
                "-Dkafka.bootstrap.servers=127.0.0.1:" + freePort(),
                "-Dquarkus.http.port=" + freePort(), "-Dquarkus.management.port=" + freePort()));
        command.addAll(settings);
        command.addAll(List.of("-jar", APP.toString()));
        Files.createDirectories(LOGS);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(LOGS.resolve(name + ".log").toFile());
        builder.environment().remove("ROLLOUT_API_KEYS");
        builder.environment().put("DJL_OFFLINE", "true");
        builder.environment().put("OPT_OUT_TRACKING", "true");
        return builder.start();
    }

    private static HttpResponse<String> awaitAnswer(Process service, URI uri) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline && service.isAlive()) {
            try {
                return get(uri);
            } catch (IOException notListening) {
                Thread.sleep(250);
            }
        }
        throw new AssertionError("no answer from " + uri + "; log:\n" + log("none-loopback"));
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String log(String name) throws IOException {
        return Files.readString(LOGS.resolve(name + ".log"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
