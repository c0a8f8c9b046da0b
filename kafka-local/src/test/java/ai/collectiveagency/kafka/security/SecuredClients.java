package ai.collectiveagency.kafka.security;

import ai.collectiveagency.schemas.kafka.KafkaClientSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** What a client does on a topic or group, each one call, as a real client of some settings. */
final class SecuredClients {

    /** Hang guard only: a refused request fails long before. */
    static final Duration WAIT = Duration.ofSeconds(20);

    private SecuredClients() {
    }

    static KafkaProducer<String, String> producer(KafkaClientSettings settings,
            Duration maxBlock) {
        Map<String, Object> props = settings.producer("test-producer");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) maxBlock.toMillis());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    static KafkaConsumer<String, String> consumer(KafkaClientSettings settings, String group) {
        Map<String, Object> props = settings.assignedConsumer("test-consumer");
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) WAIT.toMillis());
        if (group != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    static Admin admin(KafkaClientSettings settings) {
        Map<String, Object> props = settings.admin("test-admin");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) WAIT.toMillis());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) WAIT.toMillis());
        return Admin.create(props);
    }

    /** Sends one record to {@code topic} and waits for the broker's answer. */
    static void write(KafkaProducer<String, String> producer, String topic) throws Exception {
        producer.send(new ProducerRecord<>(topic, "key", "value"))
                .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Registers {@code transactionalId} with the broker and commits an empty transaction under
     * it, as a transactional stage's producer does at start-up.
     */
    static void transact(KafkaClientSettings settings, String transactionalId) {
        Map<String, Object> props = settings.producer("test-transactional");
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) WAIT.toMillis());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props,
                new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.commitTransaction();
        }
    }

    /**
     * Assigns every partition of {@code topic}, from the start, resolves the positions and
     * fetches once.
     */
    static void read(KafkaConsumer<String, String> consumer, String topic, int partitions) {
        List<TopicPartition> all = partitions(topic, partitions);
        consumer.assign(all);
        consumer.seekToBeginning(all);
        // Resolving the positions asks the broker for the topic's offsets and waits for the
        // answer (or the refusal), so the check does not hang on how soon one poll gets it.
        all.forEach(partition -> consumer.position(partition, WAIT));
        consumer.poll(Duration.ofMillis(500));
    }

    /** Commits offset 0 of every partition of {@code topic} for the consumer's group. */
    static void commit(KafkaConsumer<String, String> consumer, String topic, int partitions) {
        List<TopicPartition> all = partitions(topic, partitions);
        consumer.assign(all);
        Map<TopicPartition, OffsetAndMetadata> offsets = new java.util.HashMap<>();
        all.forEach(p -> offsets.put(p, new OffsetAndMetadata(0)));
        consumer.commitSync(offsets, WAIT);
    }

    /** The committed offsets of {@code group} and the end offsets of {@code topic}. */
    static void readLag(Admin admin, String group, String topic, int partitions)
            throws ExecutionException, InterruptedException {
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
        partitions(topic, partitions).forEach(p -> latest.put(p, OffsetSpec.latest()));
        admin.listOffsets(latest).all().get();
    }

    private static List<TopicPartition> partitions(String topic, int partitions) {
        return IntStream.range(0, partitions).mapToObj(p -> new TopicPartition(topic, p))
                .toList();
    }
}
