package ai.collectiveagency.kafka;

import ai.collectiveagency.kafka.topics.TopicCatalogue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import kafka.server.KafkaRaftServer;
import org.apache.commons.io.FileUtils;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
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
 */
public final class LocalKafka implements AutoCloseable {

    /** Pass as port to take any free loopback port. */
    public static final int ANY_PORT = 0;

    private final BrokerConfig config;
    private final TopicCatalogue catalogue;
    private final KafkaRaftServer server;
    private final boolean deleteOnClose;
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
        return start(dataDir, port, catalogue, false);
    }

    /** A broker with the default catalogue in a new temp folder that {@link #close()} deletes. */
    public static LocalKafka startTemporary() {
        return startTemporary(TopicCatalogue.defaults());
    }

    /** A broker with the given catalogue in a new temp folder that {@link #close()} deletes. */
    public static LocalKafka startTemporary(TopicCatalogue catalogue) {
        try {
            return start(Files.createTempDirectory("local-kafka-"), ANY_PORT, catalogue, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temp folder", e);
        }
    }

    private static LocalKafka start(Path dataDir, int port, TopicCatalogue catalogue,
            boolean deleteOnClose) {
        Objects.requireNonNull(catalogue, "catalogue");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (port != ANY_PORT && !FreePort.isFree(port)) {
            throw new IllegalArgumentException("port " + port + " of 127.0.0.1 is in use");
        }
        int brokerPort = port == ANY_PORT ? FreePort.pick() : port;
        int controllerPort = FreePort.pickOther(brokerPort);
        BrokerConfig config = new BrokerConfig(dataDir, brokerPort, controllerPort);
        KafkaRaftServer server;
        try {
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
            kafka.ensureTopics();
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
        return kafka;
    }

    private void ensureTopics() {
        try (Admin admin = createAdmin()) {
            catalogue.ensureTopics(admin);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    /** {@code 127.0.0.1:PORT}, for {@code bootstrap.servers}. */
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

    /** An admin client of this broker; the caller closes it. */
    public Admin createAdmin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
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
