package ai.collectiveagency.trainer.exactlyonce;

import ai.collectiveagency.policy.engine.JitTrapLimit;
import ai.collectiveagency.policy.engine.TrainingMalloc;
import ai.collectiveagency.schemas.signing.KeyPairFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged trainer ({@code target/quarkus-app/quarkus-run.jar}) as a separate JVM, the way a
 * user runs it, with one PyTorch thread so that two runs on the same input compute bit for bit
 * the same. {@link #kill()} destroys it forcibly (SIGKILL: no shutdown hook, no last checkpoint),
 * {@link #stop} asks it to stop (SIGTERM: a last checkpoint);
 * {@link #close()} does the same if it still runs, so a failing test leaves no process behind.
 */
final class TrainerProcess implements AutoCloseable {

    static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
    static final Path MODEL = Path.of("../models/qwen2-tiny-random").toAbsolutePath().normalize();
    /** The signing key pair every start uses, made for this test run (none is committed). */
    static final KeyPairFiles KEYS = newKeyPair();

    private final Process process;

    private TrainerProcess(Process process) {
        this.process = process;
    }

    /**
     * Starts the trainer on {@code bootstrapServers} with checkpoints in {@code store}; its output
     * is appended to {@code log}. {@code settings} are further {@code trainer.*} keys.
     */
    static TrainerProcess start(String bootstrapServers, Path store, Map<String, String> settings,
            Path log) {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: run the IT with mvn verify "
                    + "(it needs the package phase)");
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "--add-modules", "jdk.incubator.vector", JitTrapLimit.FLAG,
                "-Dai.djl.pytorch.num_threads=1",
                "-Dkafka.bootstrap.servers=" + bootstrapServers,
                "-Dtrainer.store=" + store,
                "-Dtrainer.model=" + MODEL,
                "-Dtrainer.signing.private-key=" + KEYS.privateKey(),
                "-Dquarkus.management.port=0"));
        settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", JAR.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("DJL_OFFLINE", "true");
        builder.environment().put("OPT_OUT_TRACKING", "true");
        builder.environment().put("OMP_NUM_THREADS", "1");
        builder.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        builder.environment().putAll(TrainingMalloc.ENVIRONMENT); // as the images and ./pipeline
        try {
            Files.createDirectories(log.getParent());
            return new TrainerProcess(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the trainer", e);
        }
    }

    private static KeyPairFiles newKeyPair() {
        try {
            Path dir = Files.createTempDirectory("trainer-keys");
            KeyPairFiles keys = KeyPairFiles.in(dir, "trainer").generate();
            for (Path p : List.of(dir, keys.privateKey(), keys.publicKey())) {
                p.toFile().deleteOnExit(); // files before the folder: deleted in reverse order
            }
            return keys;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Waits for the process to end by itself; its exit status, or -1 when it still runs. */
    int awaitExit(Duration deadline) throws InterruptedException {
        return process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue()
                : -1;
    }

    /** SIGKILL, then waits until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM: Quarkus shuts down, the loop stops and writes a last checkpoint. */
    int stop(Duration deadline) throws InterruptedException {
        process.destroy();
        return awaitExit(deadline);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
