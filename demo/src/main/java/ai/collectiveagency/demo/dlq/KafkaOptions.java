package ai.collectiveagency.demo.dlq;

import ai.collectiveagency.schemas.kafka.KafkaClientSettings;
import java.nio.file.Path;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Option;

/**
 * Where the brokers are and how to log in: a bootstrap address, and for a secured cluster a
 * Kafka client properties file (what {@code ./pipeline kafka --secure} writes for each user,
 * what Kafka's own tools take as {@code --command-config}).
 */
public final class KafkaOptions {

    static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";

    @Option(names = "--bootstrap-server",
            description = "host:port of the brokers (default: the client config's "
                    + "bootstrap.servers, else " + DEFAULT_BOOTSTRAP + ", ./pipeline kafka's).")
    private String bootstrapServer;

    @Option(names = "--client-config",
            description = "A Kafka client properties file: security.protocol, sasl.*, ssl.*, "
                    + "e.g. runs/kafka/client-<user>.properties of ./pipeline kafka --secure; a "
                    + "relative path is in the checkout.")
    private Path clientConfig;

    /**
     * The settings these options give: the file's (which holds {@code bootstrap.servers}, as
     * every file {@code ./pipeline kafka --secure} writes does), its address replaced by
     * {@code --bootstrap-server} when that is given.
     *
     * @param root the checkout, which a relative {@code --client-config} is in
     * @throws IllegalArgumentException when the settings cannot work, naming the key
     * @throws java.io.UncheckedIOException when the file cannot be read
     */
    public KafkaClientSettings settings(Path root) {
        if (clientConfig == null) {
            return KafkaClientSettings.plaintext(bootstrapServer == null ? DEFAULT_BOOTSTRAP
                    : bootstrapServer);
        }
        KafkaClientSettings settings = KafkaClientSettings.load(
                root.resolve(clientConfig).normalize());
        return bootstrapServer == null ? settings
                : settings.with(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServer);
    }
}
