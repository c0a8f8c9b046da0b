package ai.collectiveagency.demo.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code ./pipeline demo ...} (or {@code chaos ...}) as a child process of the test, started the way a user starts it:
 * its stdout read line by line (and echoed with a {@code demo| } prefix), its stderr in a file.
 * Every process it starts is recorded while it runs: a service that outlives a dead demo is no
 * longer its descendant, so only a record taken as the tree grows can find it afterwards.
 */
public final class DemoProcess {

    private static final Duration RECORD_EVERY = Duration.ofMillis(250);

    private final Process process;
    private final Path stderr;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    /** Each process the demo started, with its command line as seen while it ran. */
    private final Map<ProcessHandle, String> tree = new ConcurrentHashMap<>();
    private final Thread reader = new Thread(this::readStdout, "demo-stdout");
    private final Thread recorder = new Thread(this::recordTree, "demo-tree");

    private DemoProcess(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
    }

    /** Runs {@code <root>/pipeline <args>} in {@code root} with {@code environment} added. */
    public static DemoProcess start(Path root, Map<String, String> environment, Path stderr,
            List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(root.resolve("pipeline").toString());
        command.addAll(args);
        Files.createDirectories(stderr.getParent());
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
                .redirectError(stderr.toFile());
        builder.environment().putAll(environment);
        DemoProcess demo = new DemoProcess(builder.start(), stderr);
        for (Thread thread : List.of(demo.reader, demo.recorder)) {
            thread.setDaemon(true);
            thread.start();
        }
        return demo;
    }

    /** The first stdout line that {@code matches}, waiting at most {@code timeout} for it. */
    public Optional<String> awaitLine(Predicate<String> matches, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (process.isAlive() && System.nanoTime() < deadline) {
            Optional<String> line = lines.stream().filter(matches).findFirst();
            if (line.isPresent()) {
                return line;
            }
            Thread.sleep(250);
        }
        if (!process.isAlive()) {
            reader.join(Duration.ofSeconds(5).toMillis());  // the last lines it printed
        }
        return lines.stream().filter(matches).findFirst();
    }

    /** The exit code, once the demo has exited within {@code timeout}. */
    public OptionalInt awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
                ? OptionalInt.of(process.exitValue()) : OptionalInt.empty();
    }

    /** Every stdout line so far. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** The demo's stderr so far. */
    public String stderr() {
        try {
            return Files.readString(stderr);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every process the demo started (services, helpers), alive or not, with its command. */
    public Map<ProcessHandle, String> descendantsSeen() {
        return Map.copyOf(tree);
    }

    /** Those of {@link #descendantsSeen()} and the demo itself that are still alive. */
    public List<ProcessHandle> alive() {
        List<ProcessHandle> alive = new ArrayList<>(tree.keySet());
        alive.add(process.toHandle());
        return alive.stream().filter(ProcessHandle::isAlive).toList();
    }

    /**
     * Stops whatever of the tree still runs: SIGTERM to the descendants, then to the demo; after
     * {@code grace}, SIGKILL to what is left. Returns the processes still alive after that.
     */
    public List<ProcessHandle> destroyTree(Duration grace) throws InterruptedException {
        Set<ProcessHandle> targets = new HashSet<>(tree.keySet());
        process.descendants().forEach(targets::add);
        targets.forEach(ProcessHandle::destroy);
        process.destroy();
        targets.add(process.toHandle());
        awaitDeath(targets, grace);
        targets.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        awaitDeath(targets, Duration.ofSeconds(10));
        return targets.stream().filter(ProcessHandle::isAlive).toList();
    }

    private static void awaitDeath(Set<ProcessHandle> processes, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (processes.stream().anyMatch(ProcessHandle::isAlive)
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    private void readStdout() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(
                process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                lines.add(line);
                System.out.println("demo| " + line);
            }
        } catch (IOException closed) {
            // The process was destroyed: its stdout is gone with it.
        }
    }

    private void recordTree() {
        while (process.isAlive()) {
            // The latest command line wins: a child first seen between fork and exec (or still
            // in jspawnhelper) shows none or the helper's, and must not keep it.
            process.descendants().forEach(p -> p.info().commandLine().ifPresentOrElse(
                    command -> tree.put(p, command), () -> tree.putIfAbsent(p, "(unknown)")));
            try {
                Thread.sleep(RECORD_EVERY.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
