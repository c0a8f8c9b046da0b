package ai.collectiveagency.k8s;

import ai.collectiveagency.k8s.strimzi.GeneratedKafkaResources;
import ai.collectiveagency.k8s.strimzi.StrimziCluster;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./pipeline k8s generate [--prefix P] [--cluster NAME] [--out DIR] [--check]}: writes the
 * Strimzi KafkaTopics and KafkaUsers of {@code k8s/base/kafka/} from the topic catalogue, or with
 * {@code --check} only says whether the files there are what it would write.
 */
@Command(name = "k8s", mixinStandardHelpOptions = true,
        description = "The Kubernetes manifests' generated parts.",
        subcommands = K8sCommand.Generate.class)
public final class K8sCommand {

    public static void main(String[] args) {
        System.exit(new CommandLine(new K8sCommand()).execute(args));
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Writes topics.yaml and users.yaml (Strimzi) from the topic catalogue.")
    static final class Generate implements Callable<Integer> {

        @Option(names = "--prefix", defaultValue = TopicCatalogue.DEFAULT_PREFIX,
                description = "Topic name prefix (default: ${DEFAULT-VALUE}).")
        String prefix;

        @Option(names = "--cluster", defaultValue = "pipeline",
                description = "The Strimzi Kafka cluster's name (default: ${DEFAULT-VALUE}).")
        String cluster;

        @Option(names = "--out", description = "Folder to write to (default: k8s/base/kafka "
                + "of the project).")
        Path out;

        @Option(names = "--check", description = "Write nothing; exit 1 when a file differs.")
        boolean check;

        private final PrintStream stdout = System.out;

        @Override
        public Integer call() throws IOException {
            Path folder = out != null ? out : defaultFolder();
            Map<String, String> files = GeneratedKafkaResources.files(
                    TopicCatalogue.withPrefix(prefix), new StrimziCluster(cluster));
            List<Path> stale = new ArrayList<>();
            for (Map.Entry<String, String> file : files.entrySet()) {
                Path path = folder.resolve(file.getKey());
                boolean same = Files.exists(path)
                        && Files.readString(path, StandardCharsets.UTF_8).equals(file.getValue());
                if (same) {
                    continue;
                }
                stale.add(path);
                if (!check) {
                    Files.createDirectories(folder);
                    Files.writeString(path, file.getValue(), StandardCharsets.UTF_8);
                    stdout.println("wrote " + path);
                }
            }
            if (check && !stale.isEmpty()) {
                stale.forEach(path -> System.err.println("k8s generate: out of date: " + path));
                System.err.println("k8s generate: run ./pipeline k8s generate and commit the "
                        + "result");
                return 1;
            }
            if (stale.isEmpty()) {
                stdout.println("up to date: " + String.join(", ", files.keySet()) + " in "
                        + folder);
            }
            return 0;
        }

        private static Path defaultFolder() {
            String root = System.getProperty("pipeline.root", ".");
            return Path.of(root, "k8s", "base", "kafka");
        }
    }
}
