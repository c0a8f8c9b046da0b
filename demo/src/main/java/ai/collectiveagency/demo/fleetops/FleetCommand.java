package ai.collectiveagency.demo.fleetops;

import ai.collectiveagency.demo.cli.CommandMain;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code fleet status|scale ...}: the pipeline's services as they run in Kubernetes, read from
 * the Kubernetes API and Kafka, and scaling a stage within what its topics allow. (The demo's
 * local process fleet is {@code ai.collectiveagency.demo.fleet}, not this.)
 *
 * <p>Exit codes: 0 done, 1 the Kubernetes API could not be reached or refused (an
 * {@code error: ...} line says why), 2 a bad command line or a refused request (a service that
 * must stay single, more replicas than partitions).
 */
@Command(name = "fleet", mixinStandardHelpOptions = true,
        // A new subcommand is one more class here.
        subcommands = {StatusCommand.class, ScaleCommand.class, PinCommand.class,
                UnpinCommand.class},
        description = "The services in Kubernetes: their replicas, served policy versions, "
                + "consumer lag and autoscaling; scaling a stage; pinning the policy version "
                + "every rollout replica serves (locally and in Kubernetes).")
public final class FleetCommand implements Callable<Integer> {

    /** Exit code when the Kubernetes API could not be reached or refused. */
    static final int FAILED = 1;

    @Spec
    private CommandSpec spec;

    private final Path root;
    private final PrintStream out;
    private final Function<String, KubernetesClient> kubernetes;

    /**
     * @param root the checkout, which relative paths of options are in
     * @param kubernetes opens a client for a kubeconfig context (null: the current one)
     */
    public FleetCommand(Path root, PrintStream out,
            Function<String, KubernetesClient> kubernetes) {
        this.root = root;
        this.out = out;
        this.kubernetes = kubernetes;
    }

    public static void main(String[] args) {
        CommandMain.run((root, out) -> new FleetCommand(root, out, KubeConfig::connect), args);
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

    /** A client for {@code context} (null: the kubeconfig's current one); the caller closes it. */
    KubernetesClient kubernetes(String context) {
        return kubernetes.apply(context);
    }
}
