package ai.collectiveagency.demo.fleetops;

import ai.collectiveagency.demo.cli.CommandMain;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * {@code ./pipeline fleet ...} run in the test's JVM as {@link CommandMain} runs it, on the
 * Kubernetes client {@code kubernetes} makes.
 *
 * @param exitCode what the command returned
 * @param out its standard output
 * @param err its standard error
 */
record FleetRun(int exitCode, String out, String err) {

    static FleetRun of(Path root, Supplier<KubernetesClient> kubernetes, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream savedErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = CommandMain.commandLine(new FleetCommand(root,
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    context -> kubernetes.get())).execute(args);
            return new FleetRun(code, out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(savedErr);
        }
    }
}
