package ai.collectiveagency.schemas.kafka.stage;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The consumer and the transactional producer of a {@link TransactionalStage}. */
public final class StageClients {

    private StageClients() {
    }

    /**
     * In the stage's group, reading only committed records and never committing offsets itself
     * (both from {@link ai.collectiveagency.schemas.kafka.KafkaClientSettings#assignedConsumer}):
     * the stage's transactions commit them; a batch may take up to {@code maxPollInterval}.
     */
    public static KafkaConsumer<String, byte[]> consumer(StageConfig config, String clientId) {
        Map<String, Object> settings = config.kafka().assignedConsumer(clientId);
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxBatch());
        settings.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG,
                (int) Math.min(Integer.MAX_VALUE, config.maxPollInterval().toMillis()));
        settings.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, config.maxMessageBytes());
        settings.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG,
                Math.max(ConsumerConfig.DEFAULT_FETCH_MAX_BYTES, config.maxMessageBytes()));
        return new KafkaConsumer<>(settings, new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    /** Idempotent, transactional under the stage's transactional id. */
    public static KafkaProducer<String, byte[]> producer(StageConfig config, String clientId) {
        Map<String, Object> settings = config.kafka().producer(clientId);
        settings.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.transactionalId());
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                (int) Math.min(Integer.MAX_VALUE, config.transactionTimeout().toMillis()));
        settings.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, config.maxMessageBytes());
        return new KafkaProducer<>(settings, new StringSerializer(), new ByteArraySerializer());
    }
}
