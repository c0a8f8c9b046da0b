package ai.collectiveagency.demo.warmup;

import ai.collectiveagency.demo.cli.CommandMain;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.commons.io.FileUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code warmup [--out DIR] [--steps N] [--tasks N] [--seed S] [--force]}: builds the small
 * negotiator model the demo starts from (see {@link Warmup}). The shipped
 * {@code models/negotiator-tiny} was built with the defaults.
 */
@Command(name = "warmup", mixinStandardHelpOptions = true,
        description = "Builds a small model that speaks the negotiation task (supervised "
                + "warm-up from random weights).")
public final class WarmupCommand implements Callable<Integer> {

    @Option(names = "--out", defaultValue = "models/negotiator-tiny",
            description = "The model folder to write (default: ${DEFAULT-VALUE}).")
    private Path out;

    @Option(names = "--steps", description = "Optimiser steps (default: the recipe's).")
    private Integer steps;

    @Option(names = "--force", description = "Replace --out when it exists.")
    private boolean force;

    private final Path root;
    private final PrintStream log;

    WarmupCommand(Path root, PrintStream log) {
        this.root = root;
        this.log = log;
    }

    public static void main(String[] args) {
        CommandMain.run(WarmupCommand::new, args);
    }

    @Override
    public Integer call() throws IOException {
        Path folder = root.resolve(out).normalize();
        if (Files.exists(folder)) {
            if (!force) {
                System.err.println("error: " + folder + " exists; pass --force to replace it");
                return CommandMain.USAGE_ERROR;
            }
            FileUtils.deleteDirectory(folder.toFile());
        }
        WarmupRecipe recipe = WarmupRecipe.defaults();
        if (steps != null) {
            recipe = recipe.withSteps(steps);
        }
        Warmup.Result result = new Warmup(recipe, log).run(folder);
        log.printf("warmup: wrote %s (%,d parameters) in %.0f s; loss %.3f -> %.3f%n",
                result.folder(), result.parameters(), result.seconds(), result.firstLoss(),
                result.lastLoss());
        return 0;
    }
}
