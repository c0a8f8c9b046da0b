package ai.collectiveagency.kafka;

import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.coordinator.group.GroupCoordinatorConfig;
import org.apache.kafka.coordinator.transaction.TransactionLogConfig;
import org.apache.kafka.network.SocketServerConfigs;
import org.apache.kafka.raft.QuorumConfig;
import org.apache.kafka.server.config.KRaftConfigs;
import org.apache.kafka.server.config.ReplicationConfigs;
import org.apache.kafka.server.config.ServerConfigs;
import org.apache.kafka.server.config.ServerLogConfigs;

/**
 * The settings of a single-node KRaft server (broker and controller in one process) sized for a
 * laptop: loopback only, one replica everywhere, few partitions and threads, 1 MiB segments.
 *
 * @param dataDir log and metadata directory
 * @param brokerPort client listener port on 127.0.0.1
 * @param controllerPort controller listener port on 127.0.0.1 (not persisted: static quorum)
 */
record BrokerConfig(Path dataDir, int brokerPort, int controllerPort) {

    static final String HOST = "127.0.0.1";
    static final int NODE_ID = 1;
    static final String BROKER_LISTENER = "PLAINTEXT";
    static final String CONTROLLER_LISTENER = "CONTROLLER";

    private static final String SEGMENT_BYTES = Integer.toString(1024 * 1024);
    private static final String ONE = "1";
    private static final String TWO = "2";

    String bootstrapServers() {
        return HOST + ":" + brokerPort;
    }

    Properties properties() {
        Properties props = new Properties();
        props.put(KRaftConfigs.PROCESS_ROLES_CONFIG, "broker,controller");
        props.put(KRaftConfigs.NODE_ID_CONFIG, Integer.toString(NODE_ID));
        props.put(QuorumConfig.QUORUM_VOTERS_CONFIG,
                NODE_ID + "@" + HOST + ":" + controllerPort);
        props.put(SocketServerConfigs.LISTENERS_CONFIG, BROKER_LISTENER + "://" + bootstrapServers()
                + "," + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        props.put(SocketServerConfigs.ADVERTISED_LISTENERS_CONFIG,
                BROKER_LISTENER + "://" + bootstrapServers());
        props.put(SocketServerConfigs.LISTENER_SECURITY_PROTOCOL_MAP_CONFIG,
                BROKER_LISTENER + ":" + SecurityProtocol.PLAINTEXT.name + ","
                        + CONTROLLER_LISTENER + ":" + SecurityProtocol.PLAINTEXT.name);
        props.put(KRaftConfigs.CONTROLLER_LISTENER_NAMES_CONFIG, CONTROLLER_LISTENER);
        props.put(ReplicationConfigs.INTER_BROKER_LISTENER_NAME_CONFIG, BROKER_LISTENER);
        props.put(ServerLogConfigs.LOG_DIRS_CONFIG, dataDir.toAbsolutePath().toString());
        props.put(ServerLogConfigs.NUM_PARTITIONS_CONFIG, ONE);
        props.put(ServerLogConfigs.LOG_SEGMENT_BYTES_CONFIG, SEGMENT_BYTES);
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
        return props;
    }

    KafkaConfig kafkaConfig() {
        return new KafkaConfig(properties(), false);
    }
}
