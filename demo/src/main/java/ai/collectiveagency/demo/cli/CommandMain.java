package ai.collectiveagency.demo.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.BiFunction;
import picocli.CommandLine;

/**
 * What the {@code main} of every command of this module does: the command is made for the
 * checkout ({@code -Dpipeline.root}, which the {@code pipeline} script sets; relative paths of
 * its options are taken from there) and standard output, a bad command line is one
 * {@code error: ...} line and exit code 2, and the command's result is the exit code.
 */
public final class CommandMain {

    /** Exit code of a bad command line. */
    public static final int USAGE_ERROR = 2;

    private CommandMain() {
    }

    /** Runs the command {@code make} builds for the checkout, then exits with its code. */
    public static void run(BiFunction<Path, PrintStream, Object> make, String[] args) {
        Path root = Path.of(System.getProperty("pipeline.root", ".")).toAbsolutePath()
                .normalize();
        System.exit(commandLine(make.apply(root, System.out)).execute(args));
    }

    /** {@code command}'s command line, a bad command line one error line and exit code 2. */
    public static CommandLine commandLine(Object command) {
        CommandLine cli = new CommandLine(command);
        cli.setParameterExceptionHandler((e, a) -> {
            System.err.println("error: " + e.getMessage());
            return USAGE_ERROR;
        });
        return cli;
    }
}
