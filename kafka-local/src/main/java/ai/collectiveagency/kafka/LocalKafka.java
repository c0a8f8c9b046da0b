package ai.collectiveagency.kafka;

import ai.collectiveagency.kafka.security.BrokerTls;
import ai.collectiveagency.kafka.security.ClientFiles;
import ai.collectiveagency.kafka.security.PipelineUsers;
import ai.collectiveagency.schemas.topics.PipelineClient;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import ai.collectiveagency.schemas.kafka.KafkaClientSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import kafka.server.KafkaRaftServer;
import org.apache.commons.io.FileUtils;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.utils.Time;

/**
 * A real Kafka broker in this JVM: one KRaft node (broker and controller) on 127.0.0.1, its data
 * in a folder of the caller's choice, the catalogue's topics created on start.
 *
 * <p>A folder is formatted the first time; a broker started again on it keeps its topics and
 * records. For tests, {@link #startTemporary()} uses a fresh temp folder and deletes it on close:
 *
 * <pre>{@code
 * try (LocalKafka kafka = LocalKafka.startTemporary()) {
 *     producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
 *     String prompts = kafka.catalogue().name(LogicalTopic.PROMPTS);
 *     ...
 * }
 * }</pre>
 *
 * <p>{@link #startSecure} starts it secured (see {@link BrokerConfig}): SASL_SSL with one
 * SCRAM-SHA-512 user per {@link PipelineClient}, KRaft's authorizer, ACLs from the catalogue;
 * {@link #clientSettings(PipelineClient)} is then what each client connects with.
 */
public final class LocalKafka implements AutoCloseable {

    /** Pass as port to take any free loopback port. */
    public static final int ANY_PORT = 0;

    private final BrokerConfig config;
    private final TopicCatalogue catalogue;
    private final KafkaRaftServer server;
    private final boolean deleteOnClose;
    private final Map<PipelineClient, KafkaClientSettings> users = new HashMap<>();
    private boolean closed;

    private LocalKafka(BrokerConfig config, TopicCatalogue catalogue, KafkaRaftServer server,
            boolean deleteOnClose) {
        this.config = config;
        this.catalogue = catalogue;
        this.server = server;
        this.deleteOnClose = deleteOnClose;
    }

    /**
     * Starts a broker and creates the catalogue's missing topics; returns once they exist.
     *
     * @param dataDir the broker's folder; created and formatted when new
     * @param port client port on 127.0.0.1, or {@link #ANY_PORT}
     * @param catalogue the topics to create
     * @throws IllegalArgumentException when the port is out of range or in use
     */
    public static LocalKafka start(Path dataDir, int port, TopicCatalogue catalogue) {
        return start(dataDir, port, catalogue, false, false);
    }

    /**
     * Starts a secured broker: as {@link #start}, and returns once every pipeline user has its
     * credential, its ACLs and its client files in {@code dataDir}. The CA and the broker's
     * certificate are made at the first secure start and kept in {@code dataDir}.
     */
    public static LocalKafka startSecure(Path dataDir, int port, TopicCatalogue catalogue) {
        return start(dataDir, port, catalogue, true, false);
    }

    /** A broker with the default catalogue in a new temp folder that {@link #close()} deletes. */
    public static LocalKafka startTemporary() {
        return startTemporary(TopicCatalogue.defaults());
    }

    /** A broker with the given catalogue in a new temp folder that {@link #close()} deletes. */
    public static LocalKafka startTemporary(TopicCatalogue catalogue) {
        return start(temporaryFolder(), ANY_PORT, catalogue, false, true);
    }

    /** A secured broker with the default catalogue in a new temp folder, deleted on close. */
    public static LocalKafka startTemporarySecure() {
        return start(temporaryFolder(), ANY_PORT, TopicCatalogue.defaults(), true, true);
    }

    private static Path temporaryFolder() {
        try {
            return Files.createTempDirectory("local-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temp folder", e);
        }
    }

    private static LocalKafka start(Path dataDir, int port, TopicCatalogue catalogue,
            boolean secure, boolean deleteOnClose) {
        Objects.requireNonNull(catalogue, "catalogue");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (port != ANY_PORT && !FreePort.isFree(port)) {
            throw new IllegalArgumentException("port " + port + " of 127.0.0.1 is in use");
        }
        int brokerPort = port == ANY_PORT ? FreePort.pick() : port;
        int controllerPort = FreePort.pickOther(brokerPort);
        BrokerConfig config;
        KafkaRaftServer server;
        try {
            config = new BrokerConfig(dataDir, brokerPort, controllerPort, secure
                    ? Optional.of(new BrokerConfig.Secured(
                            FreePort.pickOther(brokerPort, controllerPort),
                            BrokerTls.ensure(createDirectories(dataDir), Instant.now())))
                    : Optional.empty(), catalogue.largestMessageBytes());
            KraftStorage.formatIfNew(config);
            server = new KafkaRaftServer(config.kafkaConfig(), Time.SYSTEM);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot format " + dataDir, e);
        }
        LocalKafka kafka = new LocalKafka(config, catalogue, server, deleteOnClose);
        try {
            server.startup();
            kafka.prepare();
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
        return kafka;
    }

    /** The catalogue's topics; on a secured broker, the users, their ACLs and client files. */
    private void prepare() {
        try (Admin admin = createAdmin()) {
            catalogue.ensureTopics(admin);
            if (config.secured().isPresent()) {
                users.putAll(PipelineUsers.ensure(admin, catalogue, dataDir(),
                        bootstrapServers(), config.secured().get().tls()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing the broker", e);
        }
    }

    private static Path createDirectories(Path dataDir) {
        try {
            return Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot create data folder " + dataDir, e);
        }
    }

    /** {@code 127.0.0.1:PORT}, for {@code bootstrap.servers}: the client listener. */
    public String bootstrapServers() {
        return config.bootstrapServers();
    }

    /** The client port on 127.0.0.1. */
    public int port() {
        return config.brokerPort();
    }

    public Path dataDir() {
        return config.dataDir();
    }

    /** The topics this broker was started with. */
    public TopicCatalogue catalogue() {
        return catalogue;
    }

    /** Whether clients must authenticate (SASL_SSL) and are authorized by ACLs. */
    public boolean secure() {
        return config.secured().isPresent();
    }

    /**
     * What {@code client} connects with: on a plain broker the bootstrap address alone; on a
     * secured one its user's SASL_SSL settings.
     */
    public KafkaClientSettings clientSettings(PipelineClient client) {
        return secure() ? users.get(client) : KafkaClientSettings.plaintext(bootstrapServers());
    }

    /** {@code client}'s properties file on a secured broker (its {@code .env} file is beside). */
    public Optional<Path> clientFile(PipelineClient client) {
        return secure() ? Optional.of(ClientFiles.propertiesFile(dataDir(), client))
                : Optional.empty();
    }

    /** The CA certificate clients of a secured broker trust. */
    public Optional<Path> caCertificate() {
        return config.secured().map(secured -> secured.tls().caCertificate());
    }

    /**
     * An admin client of this broker with every right; the caller closes it. On a secured
     * broker it connects to the internal listener as the broker itself (its certificate).
     */
    public Admin createAdmin() {
        Map<String, Object> props = new HashMap<>();
        if (config.secured().isEmpty()) {
            props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
            return Admin.create(props);
        }
        BrokerConfig.Secured secured = config.secured().get();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                BrokerConfig.HOST + ":" + secured.internalPort());
        props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, SecurityProtocol.SSL.name);
        props.putAll(secured.tls().pemStores());
        return Admin.create(props);
    }

    /** Controlled shutdown; waits until the broker's threads are gone. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.shutdown();
        server.awaitShutdown();
        if (deleteOnClose) {
            try {
                FileUtils.deleteDirectory(config.dataDir().toFile());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + config.dataDir(), e);
            }
        }
    }
}
