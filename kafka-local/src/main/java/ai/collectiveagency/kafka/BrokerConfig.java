package ai.collectiveagency.kafka;

import ai.collectiveagency.kafka.security.BrokerTls;
import ai.collectiveagency.kafka.security.ScramUsers;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import kafka.server.KafkaConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.internals.BrokerSecurityConfigs;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.security.scram.ScramLoginModule;
import org.apache.kafka.coordinator.group.GroupCoordinatorConfig;
import org.apache.kafka.coordinator.transaction.TransactionLogConfig;
import org.apache.kafka.metadata.authorizer.StandardAuthorizer;
import org.apache.kafka.network.SocketServerConfigs;
import org.apache.kafka.raft.QuorumConfig;
import org.apache.kafka.server.config.KRaftConfigs;
import org.apache.kafka.server.config.ReplicationConfigs;
import org.apache.kafka.server.config.ServerConfigs;
import org.apache.kafka.server.config.ServerLogConfigs;

/**
 * The settings of a single-node KRaft server (broker and controller in one process) sized for a
 * laptop: loopback only, one replica everywhere, few partitions and threads, small segments
 * (1 MiB, or the largest record where that is larger: Kafka refuses a batch that does not fit
 * in one segment), and record limits from the topic catalogue.
 *
 * <p>Plain, it has a PLAINTEXT client listener and a PLAINTEXT controller listener. Secured
 * ({@link Secured}), three listeners, all on 127.0.0.1:
 *
 * <ul>
 *   <li>{@code CLIENT}, SASL_SSL with SCRAM-SHA-512: the only one clients are told about; a
 *       client is the SCRAM user it logs in as;
 *   <li>{@code INTERNAL}, SSL with client certificates required: the inter-broker listener, and
 *       the door of the local administrator ({@link LocalKafka#createAdmin()});
 *   <li>{@code CONTROLLER}, SSL with client certificates required: the KRaft quorum.
 * </ul>
 *
 * On the two TLS listeners the principal is the client certificate's subject, and only the
 * broker's own key ({@code broker.pem}, 0600 in the data folder) has a certificate of the local
 * CA: {@code User:CN=kafka-broker} is the only super user, so there is no unauthenticated way to
 * anything. KRaft's {@link StandardAuthorizer} checks every request, and whatever no ACL allows
 * is refused.
 *
 * @param dataDir log and metadata directory
 * @param brokerPort client listener port on 127.0.0.1
 * @param controllerPort controller listener port on 127.0.0.1 (not persisted: static quorum)
 * @param secured the secured listeners' settings; empty for a plain broker
 * @param maxMessageBytes the largest record batch of any topic of the catalogue
 *     ({@link ai.collectiveagency.schemas.topics.TopicCatalogue#largestMessageBytes()}): the
 *     broker's {@code message.max.bytes} (the limit of a topic that sets none) and
 *     {@code replica.fetch.max.bytes}
 */
record BrokerConfig(Path dataDir, int brokerPort, int controllerPort, Optional<Secured> secured,
        int maxMessageBytes) {

    static final String HOST = "127.0.0.1";
    static final int NODE_ID = 1;
    static final String BROKER_LISTENER = "PLAINTEXT";
    static final String CLIENT_LISTENER = "CLIENT";
    static final String INTERNAL_LISTENER = "INTERNAL";
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    /** The SASL mechanism of the secured client listener: the one its users have. */
    static final String SCRAM_MECHANISM = ScramUsers.MECHANISM.mechanismName();
    /** The broker's principal on its TLS listeners: the only super user. */
    static final String BROKER_PRINCIPAL = "User:" + BrokerTls.BROKER_SUBJECT;

    private static final int SMALL_SEGMENT_BYTES = 1024 * 1024;
    /** The internal topics' segments: offsets and transaction markers are small records. */
    private static final String SEGMENT_BYTES = Integer.toString(SMALL_SEGMENT_BYTES);
    private static final String ONE = "1";
    private static final String TWO = "2";
    /** A request may carry this many of the largest records (never less than Kafka's default). */
    private static final int LARGEST_RECORDS_PER_REQUEST = 4;
    private static final String SCRAM_LOGIN = ScramLoginModule.class.getName() + " required;";

    /**
     * @param internalPort the INTERNAL listener's port on 127.0.0.1
     * @param tls the CA and the broker's key store
     */
    record Secured(int internalPort, BrokerTls tls) {
        Secured {
            Objects.requireNonNull(tls, "tls");
        }
    }

    BrokerConfig {
        Objects.requireNonNull(secured, "secured");
        if (maxMessageBytes < 1) {
            throw new IllegalArgumentException("max message bytes < 1: " + maxMessageBytes);
        }
    }

    String bootstrapServers() {
        return HOST + ":" + brokerPort;
    }

    Properties properties() {
        Properties props = new Properties();
        props.put(KRaftConfigs.PROCESS_ROLES_CONFIG, "broker,controller");
        props.put(KRaftConfigs.NODE_ID_CONFIG, Integer.toString(NODE_ID));
        props.put(QuorumConfig.QUORUM_VOTERS_CONFIG,
                NODE_ID + "@" + HOST + ":" + controllerPort);
        props.put(KRaftConfigs.CONTROLLER_LISTENER_NAMES_CONFIG, CONTROLLER_LISTENER);
        if (secured.isPresent()) {
            securedListeners(props, secured.get());
        } else {
            plainListeners(props);
        }
        props.put(ServerLogConfigs.LOG_DIRS_CONFIG, dataDir.toAbsolutePath().toString());
        props.put(ServerLogConfigs.NUM_PARTITIONS_CONFIG, ONE);
        // Topics come from the catalogue; a typo in a topic name should fail, not create one.
        props.put(ServerLogConfigs.AUTO_CREATE_TOPICS_ENABLE_CONFIG, "false");
        props.put(GroupCoordinatorConfig.OFFSETS_TOPIC_REPLICATION_FACTOR_CONFIG, ONE);
        props.put(GroupCoordinatorConfig.OFFSETS_TOPIC_PARTITIONS_CONFIG, ONE);
        props.put(GroupCoordinatorConfig.OFFSETS_TOPIC_SEGMENT_BYTES_CONFIG, SEGMENT_BYTES);
        props.put(GroupCoordinatorConfig.GROUP_INITIAL_REBALANCE_DELAY_MS_CONFIG, "0");
        props.put(TransactionLogConfig.TRANSACTIONS_TOPIC_REPLICATION_FACTOR_CONFIG, ONE);
        props.put(TransactionLogConfig.TRANSACTIONS_TOPIC_MIN_ISR_CONFIG, ONE);
        props.put(TransactionLogConfig.TRANSACTIONS_TOPIC_PARTITIONS_CONFIG, ONE);
        props.put(TransactionLogConfig.TRANSACTIONS_TOPIC_SEGMENT_BYTES_CONFIG, SEGMENT_BYTES);
        props.put(SocketServerConfigs.NUM_NETWORK_THREADS_CONFIG, TWO);
        props.put(ServerConfigs.NUM_IO_THREADS_CONFIG, TWO);
        props.put(ServerConfigs.BACKGROUND_THREADS_CONFIG, TWO);
        props.put(ServerLogConfigs.NUM_RECOVERY_THREADS_PER_DATA_DIR_CONFIG, ONE);
        sizes(props);
        return props;
    }

    /**
     * The broker takes the catalogue's largest record, and a request of several of them: a
     * producer's request holds up to its {@code max.request.size} (the topic's limit) of
     * batches for several partitions. A segment holds at least one largest record.
     */
    private void sizes(Properties props) {
        props.put(ServerLogConfigs.LOG_SEGMENT_BYTES_CONFIG,
                Integer.toString(Math.max(SMALL_SEGMENT_BYTES, maxMessageBytes)));
        props.put(ServerConfigs.MESSAGE_MAX_BYTES_CONFIG, Integer.toString(maxMessageBytes));
        props.put(ReplicationConfigs.REPLICA_FETCH_MAX_BYTES_CONFIG,
                Integer.toString(maxMessageBytes));
        long requests = Math.max(SocketServerConfigs.SOCKET_REQUEST_MAX_BYTES_DEFAULT,
                LARGEST_RECORDS_PER_REQUEST * (long) maxMessageBytes);
        props.put(SocketServerConfigs.SOCKET_REQUEST_MAX_BYTES_CONFIG,
                Long.toString(Math.min(Integer.MAX_VALUE, requests)));
    }

    private void plainListeners(Properties props) {
        props.put(SocketServerConfigs.LISTENERS_CONFIG, BROKER_LISTENER + "://" + bootstrapServers()
                + "," + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        props.put(SocketServerConfigs.ADVERTISED_LISTENERS_CONFIG,
                BROKER_LISTENER + "://" + bootstrapServers());
        props.put(SocketServerConfigs.LISTENER_SECURITY_PROTOCOL_MAP_CONFIG,
                BROKER_LISTENER + ":" + SecurityProtocol.PLAINTEXT.name + ","
                        + CONTROLLER_LISTENER + ":" + SecurityProtocol.PLAINTEXT.name);
        props.put(ReplicationConfigs.INTER_BROKER_LISTENER_NAME_CONFIG, BROKER_LISTENER);
    }

    private void securedListeners(Properties props, Secured secured) {
        String internal = INTERNAL_LISTENER + "://" + HOST + ":" + secured.internalPort();
        props.put(SocketServerConfigs.LISTENERS_CONFIG, CLIENT_LISTENER + "://"
                + bootstrapServers() + "," + internal + "," + CONTROLLER_LISTENER + "://" + HOST
                + ":" + controllerPort);
        props.put(SocketServerConfigs.ADVERTISED_LISTENERS_CONFIG,
                CLIENT_LISTENER + "://" + bootstrapServers() + "," + internal);
        props.put(SocketServerConfigs.LISTENER_SECURITY_PROTOCOL_MAP_CONFIG,
                CLIENT_LISTENER + ":" + SecurityProtocol.SASL_SSL.name + ","
                        + INTERNAL_LISTENER + ":" + SecurityProtocol.SSL.name + ","
                        + CONTROLLER_LISTENER + ":" + SecurityProtocol.SSL.name);
        props.put(ReplicationConfigs.INTER_BROKER_LISTENER_NAME_CONFIG, INTERNAL_LISTENER);
        // One key store and trust store for every listener, server and client side.
        props.putAll(secured.tls().pemStores());
        for (String listener : new String[] {INTERNAL_LISTENER, CONTROLLER_LISTENER}) {
            props.put(ListenerName.normalised(listener).configPrefix()
                    + BrokerSecurityConfigs.SSL_CLIENT_AUTH_CONFIG, "required");
        }
        ListenerName client = ListenerName.normalised(CLIENT_LISTENER);
        props.put(client.configPrefix() + BrokerSecurityConfigs.SASL_ENABLED_MECHANISMS_CONFIG,
                SCRAM_MECHANISM);
        props.put(client.saslMechanismConfigPrefix(SCRAM_MECHANISM) + SaslConfigs.SASL_JAAS_CONFIG,
                SCRAM_LOGIN);
        props.put(ServerConfigs.AUTHORIZER_CLASS_NAME_CONFIG, StandardAuthorizer.class.getName());
        props.put(StandardAuthorizer.SUPER_USERS_CONFIG, BROKER_PRINCIPAL);
        props.put(StandardAuthorizer.ALLOW_EVERYONE_IF_NO_ACL_IS_FOUND_CONFIG, "false");
    }

    KafkaConfig kafkaConfig() {
        return new KafkaConfig(properties(), false);
    }
}
