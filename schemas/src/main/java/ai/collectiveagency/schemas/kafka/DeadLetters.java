package ai.collectiveagency.schemas.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * A record a consumer cannot handle, as it goes to its topic's DLQ: the original key and bytes
 * (so that {@code ./pipeline dlq replay} can send it back unchanged after a fix), the reason,
 * and where it came from. The header names are SmallRye's dead-letter-queue strategy's, so that
 * dead letters of every consumer of the pipeline read the same.
 */
public final class DeadLetters {

    public static final String REASON = "dead-letter-reason";
    public static final String CAUSE = "dead-letter-cause";
    public static final String TOPIC = "dead-letter-topic";
    public static final String PARTITION = "dead-letter-partition";
    public static final String OFFSET = "dead-letter-offset";
    /** Set on a record sent back from a DLQ by {@code ./pipeline dlq replay}. */
    public static final String REPLAYED_FROM = "dead-letter-replayed-from";

    private DeadLetters() {
    }

    /**
     * The dead letter of {@code origin} on {@code dlqTopic}.
     *
     * @param reason what was wrong, for an operator; never null
     * @param cause the exception behind it, or null
     */
    public static <K> ProducerRecord<K, byte[]> of(String dlqTopic,
            ConsumerRecord<K, byte[]> origin, String reason, Throwable cause) {
        ProducerRecord<K, byte[]> out = new ProducerRecord<>(dlqTopic, null, origin.key(),
                origin.value());
        Headers headers = out.headers();
        origin.headers().forEach(h -> {
            if (!h.key().startsWith("dead-letter-")) {
                headers.add(h);
            }
        });
        add(headers, REASON, reason);
        if (cause != null) {
            add(headers, CAUSE, cause.getClass().getName()
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
        }
        add(headers, TOPIC, origin.topic());
        add(headers, PARTITION, String.valueOf(origin.partition()));
        add(headers, OFFSET, String.valueOf(origin.offset()));
        return out;
    }

    /** The last value of header {@code name}, as UTF-8 text. */
    public static Optional<String> header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? Optional.empty()
                : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }

    private static void add(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
