package ai.collectiveagency.kafka.security;

import ai.collectiveagency.schemas.topics.PipelineClient;
import ai.collectiveagency.schemas.kafka.KafkaClientSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.security.scram.ScramLoginModule;

/**
 * Each user's client settings for the secured broker, written to its data folder (owner-only,
 * they hold the password):
 *
 * <ul>
 *   <li>{@code client-<user>.properties}: a Kafka client properties file (what Kafka's tools
 *       take as {@code --command-config}): {@code bootstrap.servers}, {@code security.protocol},
 *       {@code sasl.mechanism}, {@code sasl.jaas.config}, {@code ssl.truststore.*};
 *   <li>{@code client-<user>.env}: the same as {@code KAFKA_*} environment variables, which a
 *       service reads by Quarkus's rule ({@code set -a; . client-<user>.env; set +a}).
 * </ul>
 *
 * <p>The properties file is also where a user's password is kept between starts: removing it
 * makes a new password at the next start (rotation).
 */
public final class ClientFiles {

    private static final Pattern PASSWORD = Pattern.compile("password=\"([^\"]+)\"");

    private ClientFiles() {
    }

    /** {@code <dataDir>/client-<user>.properties}. */
    public static Path propertiesFile(Path dataDir, PipelineClient client) {
        return dataDir.resolve("client-" + client.user() + ".properties");
    }

    /** {@code <dataDir>/client-<user>.env}. */
    public static Path environmentFile(Path dataDir, PipelineClient client) {
        return dataDir.resolve("client-" + client.user() + ".env");
    }

    /** The user's password from its properties file, or a new one when there is none. */
    static ClientCredentials credentials(Path dataDir, PipelineClient client) {
        Path file = propertiesFile(dataDir, client);
        if (Files.isRegularFile(file)) {
            Object jaas = KafkaClientSettings.load(file).asMap().get(SaslConfigs.SASL_JAAS_CONFIG);
            Matcher password = PASSWORD.matcher(jaas == null ? "" : jaas.toString());
            if (password.find()) {
                return new ClientCredentials(client, password.group(1));
            }
        }
        return ClientCredentials.random(client);
    }

    /** The settings a client of {@code credentials} uses for the broker at {@code bootstrap}. */
    static KafkaClientSettings settings(String bootstrap, ClientCredentials credentials,
            Path caCertificate) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        settings.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, SecurityProtocol.SASL_SSL.name);
        settings.put(SaslConfigs.SASL_MECHANISM, ScramUsers.MECHANISM.mechanismName());
        settings.put(SaslConfigs.SASL_JAAS_CONFIG, ScramLoginModule.class.getName()
                + " required username=\"" + credentials.client().user() + "\" password=\""
                + credentials.password() + "\";");
        settings.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
        settings.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG,
                caCertificate.toAbsolutePath().toString());
        return KafkaClientSettings.of(settings);
    }

    /** Writes both files of {@code client}. */
    static void write(Path dataDir, PipelineClient client, KafkaClientSettings settings) {
        String header = "# Kafka client settings of user " + client.user()
                + " on the local secured broker (./pipeline kafka --secure). Secret: keep 0600.\n";
        StringBuilder properties = new StringBuilder(header);
        settings.asMap().forEach((key, value) -> properties.append(key).append('=')
                .append(value).append('\n'));
        OwnerOnlyFiles.write(propertiesFile(dataDir, client), properties.toString());
        StringBuilder environment = new StringBuilder(header);
        // Single quotes: the JAAS line has spaces and double quotes, and no single quote.
        settings.asEnvironment().forEach((name, value) -> environment.append(name)
                .append("='").append(value).append("'\n"));
        OwnerOnlyFiles.write(environmentFile(dataDir, client), environment.toString());
    }
}
