package ai.collectiveagency.demo.chaos;

import ai.collectiveagency.schemas.kafka.KafkaClientSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Poison for a consumed topic: one record of random bytes, which no schema decodes (key
 * {@code poison-<topic>-<n>}), and one tombstone, a record without a value (key
 * {@code poison-tombstone-<topic>}). A consumer that quarantines what it cannot process sends
 * both to the topic's DLQ and goes on; one that does not, stops or loops on them.
 */
final class PoisonRecords {

    /** Every poison key starts so; no task id does. */
    static final String KEY_PREFIX = "poison-";

    private static final Duration SEND = Duration.ofSeconds(30);
    private static final int GARBAGE_BYTES = 64;

    private PoisonRecords() {
    }

    /** The key of the {@code n}-th garbage record injected into {@code topic}. */
    static String garbageKey(String topic, int n) {
        return KEY_PREFIX + topic + "-" + n;
    }

    /** The key of the tombstone injected into {@code topic}. */
    static String tombstoneKey(String topic) {
        return KEY_PREFIX + "tombstone-" + topic;
    }

    static boolean isPoison(String key) {
        return key != null && key.startsWith(KEY_PREFIX);
    }

    /**
     * Writes the {@code n}-th garbage record (bytes drawn from {@code random}) and a tombstone
     * to {@code topic}, and returns their keys once the broker has both.
     */
    static List<String> inject(KafkaClientSettings kafka, String topic, int n, Random random)
            throws InterruptedException {
        byte[] garbage = new byte[GARBAGE_BYTES];
        random.nextBytes(garbage);
        List<ProducerRecord<String, byte[]>> poison = List.of(
                new ProducerRecord<>(topic, garbageKey(topic, n), garbage),
                new ProducerRecord<>(topic, tombstoneKey(topic), null));
        Map<String, Object> settings = kafka.producer("chaos-poison");
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) SEND.toMillis());
        settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) SEND.toMillis() / 2);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(settings,
                new StringSerializer(), new ByteArraySerializer())) {
            for (ProducerRecord<String, byte[]> record : poison) {
                producer.send(record).get(SEND.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot write poison to " + topic, e);
        }
        return poison.stream().map(ProducerRecord::key).toList();
    }
}
