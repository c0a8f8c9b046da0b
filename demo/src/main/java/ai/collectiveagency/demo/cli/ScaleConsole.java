package ai.collectiveagency.demo.cli;

import ai.collectiveagency.demo.fleet.ReplicaScaler;
import ai.collectiveagency.demo.fleet.ScaledStage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo's control on standard input, one command a line: {@code scale SERVICE N},
 * {@code +SERVICE} (one more replica), {@code -SERVICE} (one fewer), {@code help}. Commands run
 * one after the other on a thread of their own, so the progress line goes on while a replica
 * starts; a command that cannot be done says why, and anything else prints the help. Reading
 * ends with standard input (the demo run from a script without one goes on as before).
 */
final class ScaleConsole implements AutoCloseable {

    static final String HELP = """
            demo: commands on standard input, while the loop runs:
              scale SERVICE N   run N replicas of SERVICE (rollout-service, reward-service)
              +SERVICE          one more replica of SERVICE
              -SERVICE          one fewer: the highest-numbered replica stops (SIGTERM)
              help              this text""";

    private static final Pattern SCALE = Pattern.compile("scale\\s+(\\S+)\\s+(-?\\d+)");
    private static final Pattern STEP = Pattern.compile("([+-])\\s*(\\S+)");

    private final ReplicaScaler scaler;
    private final PrintStream out;
    private final ExecutorService commands = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "demo-scale");
        thread.setDaemon(true);
        return thread;
    });

    private ScaleConsole(ReplicaScaler scaler, PrintStream out) {
        this.scaler = scaler;
        this.out = out;
    }

    /** Reads commands from {@code in} on a daemon thread until it ends or this is closed. */
    static ScaleConsole listen(InputStream in, ReplicaScaler scaler, PrintStream out) {
        ScaleConsole console = new ScaleConsole(scaler, out);
        Thread reader = new Thread(() -> console.readFrom(in), "demo-stdin");
        reader.setDaemon(true);
        reader.start();
        return console;
    }

    private void readFrom(InputStream in) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(in,
                StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (!line.isBlank()) {
                    handle(line.strip());
                }
            }
        } catch (IOException closed) {
            // Standard input went away: no more commands.
        }
    }

    /** Runs one command line, or prints why not, or the help. */
    void handle(String line) {
        Matcher scale = SCALE.matcher(line);
        Matcher step = STEP.matcher(line);
        if (scale.matches()) {
            submit(scale.group(1), replicas -> Integer.parseInt(scale.group(2)));
        } else if (step.matches()) {
            int delta = step.group(1).equals("+") ? 1 : -1;
            submit(step.group(2), replicas -> replicas + delta);
        } else {
            out.println(HELP);
        }
    }

    private void submit(String service, IntUnaryOperator target) {
        Optional<ScaledStage> stage = ScaledStage.of(service);
        if (stage.isEmpty()) {
            out.println("demo: cannot scale: " + scaler.refusal(service, 1).orElseThrow());
            return;
        }
        commands.execute(() -> {
            int count = target.applyAsInt(scaler.replicas(stage.get()).size());
            Optional<String> refusal = scaler.refusal(service, count);
            if (refusal.isPresent()) {
                out.println("demo: cannot scale: " + refusal.get());
                return;
            }
            try {
                scaler.scale(stage.get(), count);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Override
    public void close() {
        commands.shutdownNow();
    }
}
