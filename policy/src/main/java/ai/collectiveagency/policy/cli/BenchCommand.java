package ai.collectiveagency.policy.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./pipeline bench ...}: speed figures as JSON. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark a component and print JSON figures.",
        subcommands = {PolicyBenchCommand.class, AsyncReasoningBenchCommand.class})
final class BenchCommand implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
