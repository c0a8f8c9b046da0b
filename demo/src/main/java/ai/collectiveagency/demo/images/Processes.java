package ai.collectiveagency.demo.images;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs Maven, docker or podman as child processes with exactly the given environment (the
 * command's own, or a test's). Their output, standard error included, goes to {@code output}:
 * standard error, so that standard output keeps only the names of the images.
 */
final class Processes {

    private final Map<String, String> environment;
    private final PrintStream output;

    Processes(Map<String, String> environment, PrintStream output) {
        this.environment = Map.copyOf(environment);
        this.output = output;
    }

    /** Runs {@code command} in {@code directory} to its end; returns its exit code. */
    int run(Path directory, List<String> command) throws ImagesException {
        output.println("$ " + String.join(" ", command));
        try {
            Process process = builder(command).directory(directory.toFile())
                    .redirectErrorStream(true).start();
            process.getInputStream().transferTo(output);
            output.flush();
            return process.waitFor();
        } catch (IOException e) {
            throw new ImagesException("could not run " + command.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImagesException("interrupted while running " + command.get(0));
        }
    }

    /** Whether {@code command} exits with 0 within {@code timeout}; its output is dropped. */
    boolean succeeds(List<String> command, Duration timeout) {
        try {
            Process process = builder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private ProcessBuilder builder(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().putAll(environment);
        return builder;
    }
}
