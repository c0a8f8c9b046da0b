package ai.collectiveagency.kafka.security;

import ai.collectiveagency.schemas.topics.PipelineClient;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import ai.collectiveagency.schemas.kafka.KafkaClientSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * Gives every {@link PipelineClient} its user on the secured broker: a SCRAM credential (the
 * password kept from the last start, or a new random one), the ACLs the catalogue derives, and
 * its client files in the data folder.
 */
public final class PipelineUsers {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private PipelineUsers() {
    }

    /**
     * Sets up every user through {@code admin} (a super user's) and returns each one's client
     * settings for the client listener at {@code bootstrap}.
     */
    public static Map<PipelineClient, KafkaClientSettings> ensure(Admin admin,
            TopicCatalogue catalogue, Path dataDir, String bootstrap, BrokerTls tls)
            throws InterruptedException {
        Map<PipelineClient, ClientCredentials> credentials = new EnumMap<>(PipelineClient.class);
        for (PipelineClient client : PipelineClient.values()) {
            credentials.put(client, ClientFiles.credentials(dataDir, client));
        }
        ScramUsers.ensure(admin, credentials, TIMEOUT);
        CatalogueAcls.sync(admin, catalogue, TIMEOUT);
        Map<PipelineClient, KafkaClientSettings> settings = new EnumMap<>(PipelineClient.class);
        credentials.forEach((client, credential) -> {
            KafkaClientSettings clientSettings = ClientFiles.settings(bootstrap, credential,
                    tls.caCertificate());
            ClientFiles.write(dataDir, client, clientSettings);
            settings.put(client, clientSettings);
        });
        return settings;
    }
}
