package ai.collectiveagency.policy.cli;

import ai.collectiveagency.policy.checkpoint.ModelFolderException;
import ai.collectiveagency.policy.tokenizer.ChatTemplateException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.UncheckedIOException;

/** {@code ./pipeline}: the project's command line. */
@Command(name = "pipeline", mixinStandardHelpOptions = true, version = "pipeline 0.1.0",
        description = "Negotiation RL command line: run and benchmark the policy model.",
        subcommands = {GenerateCommand.class, LogprobsCommand.class, BenchCommand.class})
public final class Pipeline implements Runnable {

    /** Exit code for bad arguments or a bad model folder. */
    public static final int USAGE = 2;

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code (tests call this). */
    public static int execute(String... args) {
        CommandLine commandLine = new CommandLine(new Pipeline());
        commandLine.setParameterExceptionHandler((e, a) -> {
            System.err.println("error: " + e.getMessage());
            return USAGE;
        });
        commandLine.setExecutionExceptionHandler((e, cl, parsed) -> {
            if (e instanceof ModelFolderException || e instanceof IllegalArgumentException
                    || e instanceof ChatTemplateException
                    || e instanceof UncheckedIOException) {
                System.err.println("error: " + e.getMessage());
                return USAGE;
            }
            throw e;
        });
        return commandLine.execute(args);
    }
}
