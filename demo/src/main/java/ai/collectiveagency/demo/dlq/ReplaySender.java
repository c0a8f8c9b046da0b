package ai.collectiveagency.demo.dlq;

import ai.collectiveagency.schemas.topics.TopicCatalogue;
import ai.collectiveagency.schemas.kafka.KafkaClientSettings;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends replays with an idempotent producer (a retry after a lost acknowledgement writes no
 * second copy), one after the other, each acknowledged by every replica before the next, and
 * prints where each landed.
 */
final class ReplaySender {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private ReplaySender() {
    }

    /**
     * @throws DlqException when a send fails; the lines printed before it say what was sent
     */
    static void send(List<Replay> replays, KafkaClientSettings kafka, PrintStream out)
            throws InterruptedException {
        Map<String, Object> props = kafka.producer("pipeline-dlq-replay");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        // The largest record of any topic: a dead letter is as large as its origin's records.
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                TopicCatalogue.defaults().largestMessageBytes());
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) TIMEOUT.toMillis());
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis() / 2);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props,
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Replay replay : replays) {
                RecordMetadata sent;
                try {
                    sent = producer.send(replay.record()).get();
                } catch (ExecutionException e) {
                    throw new DlqException("cannot send " + replay.letter().address() + " to "
                            + replay.origin() + ": " + e.getCause().getMessage(), e.getCause());
                }
                out.println("replayed " + replay.describe() + " (now " + sent.topic() + ":"
                        + sent.partition() + ":" + sent.offset() + ")");
            }
        }
    }
}
