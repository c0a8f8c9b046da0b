package ai.collectiveagency.rollout.bench;

import ai.collectiveagency.policy.engine.ModelJvmFlags;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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

/**
 * The project's inference server ({@code ./pipeline inference-server}: the rollout-service with
 * no topics) in a child process on a free loopback port, for the remote half of the rollout
 * bench. Started from the packaged service ({@code rollout-service/target/quarkus-app}); closed
 * by killing it.
 */
final class InferenceServerProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private final Process process;
    private final URI baseUri;
    private final String modelName;

    private InferenceServerProcess(Process process, URI baseUri, String modelName) {
        this.process = process;
        this.baseUri = baseUri;
        this.modelName = modelName;
    }

    /**
     * Starts the server on {@code model}, waits until it answers {@code /v1/models}.
     *
     * @param root the project's root (where {@code rollout-service/target} is)
     * @param log where its output goes
     */
    static InferenceServerProcess start(Path root, Path model, Path storeRoot, Path log)
            throws IOException {
        Path jar = root.resolve("rollout-service/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build the rollout-service"
                    + " (./pipeline bench rollout builds it)");
        }
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"), "-Xmx2g"));
        command.addAll(ModelJvmFlags.FLAGS); // as ./pipeline runs it
        command.addAll(List.of("-Dquarkus.profile=inference-server",
                "-Drollout.model=" + model.toAbsolutePath(),
                "-Drollout.checkpoints.store-root=" + storeRoot.toAbsolutePath(),
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.management.port=" + freePort(),
                "-Drollout.api.auth=none",
                "-jar", jar.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        URI base = URI.create("http://127.0.0.1:" + port);
        try {
            String name = awaitModel(process, base, log);
            return new InferenceServerProcess(process, base, name);
        } catch (IOException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    URI baseUri() {
        return baseUri;
    }

    /** The base model's name on the server. */
    String modelName() {
        return modelName;
    }

    private static String awaitModel(Process process, URI base, Path log) throws IOException {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the inference server exited with "
                        + process.exitValue() + " (its output: " + log + ")");
            }
            try {
                HttpResponse<String> models = client.send(HttpRequest.newBuilder(
                        base.resolve("/v1/models")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (models.statusCode() == 200) {
                    JsonNode body = new ObjectMapper().readTree(models.body());
                    return body.path("data").path(0).path("id").asText();
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while the inference server started", e);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while the inference server started", e);
            }
        }
        throw new IllegalStateException("the inference server did not answer /v1/models within "
                + START_TIMEOUT + " (its output: " + log + ")");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
