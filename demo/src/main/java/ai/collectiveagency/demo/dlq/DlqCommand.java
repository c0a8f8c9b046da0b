package ai.collectiveagency.demo.dlq;

import ai.collectiveagency.demo.cli.CommandMain;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code dlq list|replay TOPIC ...}: what the pipeline's consumers dead-lettered, and sending
 * chosen dead letters back to where they came from after a fix. TOPIC is a data topic
 * ({@code alignment.scored}) or its dead-letter topic ({@code alignment.scored.dlq}).
 *
 * <p>Exit codes: 0 done, 1 refused or failed (an {@code error: ...} line says why; a replay
 * that is refused has sent nothing), 2 a bad command line or client settings that cannot work.
 */
@Command(name = "dlq", mixinStandardHelpOptions = true,
        subcommands = {DlqListCommand.class, DlqReplayCommand.class},
        description = "Lists dead letters and sends chosen ones back to their origin topic.")
public final class DlqCommand implements Callable<Integer> {

    /** Exit code when the command was refused or Kafka failed. */
    static final int FAILED = 1;

    @Spec
    private CommandSpec spec;

    private final Path root;
    private final PrintStream out;

    DlqCommand(Path root, PrintStream out) {
        this.root = root;
        this.out = out;
    }

    public static void main(String[] args) {
        CommandMain.run(DlqCommand::new, args);
    }

    /** Without a subcommand: the usage, as for any other bad command line. */
    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "missing subcommand: list or replay");
    }

    Path root() {
        return root;
    }

    PrintStream out() {
        return out;
    }

    /** Runs {@code work}, turning what an operator should read into one error line. */
    static int reporting(Callable<Integer> work) throws Exception {
        try {
            return work.call();
        } catch (DlqException | UncheckedIOException e) {
            System.err.println("error: " + e.getMessage());
            return FAILED;
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return CommandMain.USAGE_ERROR;
        }
    }
}
