package ai.collectiveagency.demo.fleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A service running as a child process, its output in {@code <logs>/<replica>.log}, its environment
 * only what {@link ChildEnvironment} passes on, bound to loopback only (its HTTP port and its
 * management port): nothing it serves is reachable from another host. Stopping sends
 * SIGTERM (the service's graceful shutdown: work in flight is finished or left unacknowledged
 * for the next start), then kills it if it is still alive after the grace period.
 */
public final class ServiceProcess implements AutoCloseable {

    /** The address every service of the fleet binds. */
    public static final String LOOPBACK = "127.0.0.1";

    private final ServiceSpec spec;
    private final Process process;
    private final Path log;

    private ServiceProcess(ServiceSpec spec, Process process, Path log) {
        this.spec = spec;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code spec}; its output goes to {@code logs/<replica>.log}, replacing an old log. */
    public static ServiceProcess start(ServiceSpec spec, Path logs) {
        return start(spec, logs, false);
    }

    /**
     * Starts {@code spec} again after its process ended (same ports, same settings); its output
     * goes on at the end of {@code logs/<replica>.log}, after a line that marks the restart.
     */
    public static ServiceProcess startAgain(ServiceSpec spec, Path logs) {
        return start(spec, logs, true);
    }

    private static ServiceProcess start(ServiceSpec spec, Path logs, boolean again) {
        if (!Files.isRegularFile(spec.app())) {
            throw new IllegalStateException(spec.app() + ": missing; build it first "
                    + "(mvn -DskipTests package)");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(spec.jvmOptions());
        command.add("-Dquarkus.http.host=" + LOOPBACK);
        command.add("-Dquarkus.http.port=" + spec.port());
        command.add("-Dquarkus.management.host=" + LOOPBACK);
        command.add("-Dquarkus.management.port=" + spec.managementPort());
        spec.settings().forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(spec.app().toString());
        try {
            Files.createDirectories(logs);
            Path log = logs.resolve(spec.replica() + ".log");
            if (again) {
                Files.writeString(log, "---- " + spec.replica() + " started again at "
                        + Instant.now() + " ----\n", StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            }
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(again ? Redirect.appendTo(log.toFile()) : Redirect.to(
                            log.toFile()));
            builder.environment().clear();
            builder.environment().putAll(ChildEnvironment.of(System.getenv(),
                    spec.environment()));
            return new ServiceProcess(spec, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + spec.replica(), e);
        }
    }

    public ServiceSpec spec() {
        return spec;
    }

    public Path log() {
        return log;
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** The service's management interface: {@code /q/health}, {@code /q/metrics}. */
    public URI management() {
        return URI.create("http://" + LOOPBACK + ":" + spec.managementPort() + "/q/");
    }

    /**
     * Waits until {@code /q/health/ready} on the management port answers 200; fails with the
     * log's tail otherwise.
     */
    public void awaitReady(Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI ready = management().resolve("health/ready");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(spec.replica() + " exited with "
                        + process.exitValue() + ":\n" + tail());
            }
            try {
                if (http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2))
                        .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(spec.replica() + " not ready after " + timeout + ":\n"
                + tail());
    }

    /** The last lines of the service's log. */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40),
                    lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** SIGTERM, then a kill after {@code grace}. */
    public void stop(Duration grace) throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * SIGKILL ({@link Process#destroyForcibly()} on Linux): the service gets no chance to finish
     * anything, as when a machine dies or the kernel's OOM killer strikes. Returns once the
     * process is gone, so that its ports are free again.
     */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(spec.replica() + " still runs 30 s after SIGKILL");
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop(Duration.ofSeconds(30));
    }
}
