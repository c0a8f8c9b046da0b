package ai.collectiveagency.demo.fleetops;

import ai.collectiveagency.demo.cli.CommandMain;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code fleet pin|unpin ...}: operations on the running fleet. A pin makes every rollout
 * replica serve one policy version until unpinned (a rollback of a bad checkpoint), through a
 * signed record on the fleet-control topic that every replica follows, so it works the same in
 * the local fleet and in Kubernetes.
 *
 * <p>Exit codes: 0 done, 1 refused or failed (an {@code error: ...} line says why), 2 a bad
 * command line.
 */
@Command(name = "fleet", mixinStandardHelpOptions = true,
        subcommands = {PinCommand.class, UnpinCommand.class},
        description = "Operates the running fleet: pins the policy version it serves.")
public final class FleetCommand implements Callable<Integer> {

    /** Exit code when the command was refused or Kafka failed. */
    static final int FAILED = 1;

    @Spec
    private CommandSpec spec;

    private final Path root;
    private final PrintStream out;

    public FleetCommand(Path root, PrintStream out) {
        this.root = root;
        this.out = out;
    }

    public static void main(String[] args) {
        CommandMain.run(FleetCommand::new, args);
    }

    /** Without a subcommand: the usage, as for any other bad command line. */
    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "missing subcommand: " + String.join(" or ", spec.subcommands().keySet()));
    }

    Path root() {
        return root;
    }

    PrintStream out() {
        return out;
    }
}
