package ai.collectiveagency.kafka;

import ai.collectiveagency.kafka.security.ClientFiles;
import ai.collectiveagency.schemas.topics.PipelineClient;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the local broker until SIGINT/SIGTERM:
 * {@code java -cp kafka-local.jar:lib/* ai.collectiveagency.kafka.LocalKafkaMain
 * [--data DIR] [--port N] [--prefix P] [--secure]}. Prints one line once the topics exist:
 * {@code kafka listening on 127.0.0.1:PORT (data DIR)}; secured, then where the CA certificate
 * and each user's client settings are. Bad arguments, or a port in use, exit with code 2 and
 * one {@code error: ...} line on stderr.
 */
@Command(name = "kafka", mixinStandardHelpOptions = true,
        description = "Runs a local single-node Kafka broker (KRaft) with the catalogue's topics.")
public final class LocalKafkaMain implements Callable<Integer> {

    /** Exit code of a bad command line. */
    public static final int USAGE_ERROR = 2;

    @Option(names = "--data", defaultValue = "./runs/kafka",
            description = "The broker's folder; a second start keeps its topics "
                    + "(default: ${DEFAULT-VALUE}).")
    private Path dataDir;

    @Option(names = "--port", defaultValue = "9092",
            description = "Client port on 127.0.0.1, 1..65535 (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--prefix", defaultValue = TopicCatalogue.DEFAULT_PREFIX,
            description = "Topic name prefix (default: ${DEFAULT-VALUE}).")
    private String prefix;

    @Option(names = "--secure",
            description = "SASL_SSL with a SCRAM-SHA-512 user per service, KRaft's authorizer "
                    + "and ACLs from the topic catalogue; writes each user's client settings "
                    + "to the data folder.")
    private boolean secure;

    private final PrintStream out;

    LocalKafkaMain(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new LocalKafkaMain(System.out));
        cli.setParameterExceptionHandler((e, a) -> usageError(e.getMessage()));
        cli.setExecutionExceptionHandler((e, c, p) -> {
            if (e instanceof IllegalArgumentException) {
                return usageError(e.getMessage());
            }
            throw e;
        });
        System.exit(cli.execute(args));
    }

    private static int usageError(String message) {
        System.err.println("error: " + message);
        return USAGE_ERROR;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--port must be 1..65535, got " + port);
        }
        TopicCatalogue catalogue = TopicCatalogue.withPrefix(prefix);
        LocalKafka kafka = secure ? LocalKafka.startSecure(dataDir, port, catalogue)
                : LocalKafka.start(dataDir, port, catalogue);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.close();
            stopped.countDown();
        }, "local-kafka-shutdown"));
        out.println("kafka listening on " + kafka.bootstrapServers() + " (data " + dataDir + ")");
        if (secure) {
            printClientFiles(kafka);
        }
        out.flush();
        stopped.await();
        return 0;
    }

    private void printClientFiles(LocalKafka kafka) {
        out.println("kafka: SASL_SSL (SCRAM-SHA-512) only; ACLs from the topic catalogue; "
                + "clients trust " + kafka.caCertificate().orElseThrow());
        for (PipelineClient client : PipelineClient.values()) {
            Path properties = kafka.clientFile(client).orElseThrow();
            out.println("kafka: user " + client.user() + ": " + properties + " (as environment "
                    + "variables: " + ClientFiles.environmentFile(kafka.dataDir(), client) + ")");
        }
    }
}
