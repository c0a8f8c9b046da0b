package ai.collectiveagency.demo.dlq;

import ai.collectiveagency.schemas.kafka.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * One record of a dead-letter topic, as read: the original key and bytes, the headers that
 * {@link DeadLetters} put on it (reason, cause, origin) and the others it kept from its origin.
 *
 * @param dlqTopic the dead-letter topic it is on
 * @param partition its partition there
 * @param offset its offset there
 * @param timestamp when it was dead-lettered
 * @param key the original key's bytes, or null
 * @param value the original value's bytes, or null (a tombstone)
 * @param headers every header, in order
 */
record DeadLetter(String dlqTopic, int partition, long offset, Instant timestamp, byte[] key,
        byte[] value, List<Header> headers) {

    /** Where {@code ./pipeline dlq list} shows a value that is not there. */
    static final String NONE = "-";
    /** The headers {@link DeadLetters} adds; a replay drops them. */
    private static final String DEAD_LETTER_PREFIX = "dead-letter-";

    DeadLetter {
        Objects.requireNonNull(dlqTopic, "dlqTopic");
        Objects.requireNonNull(timestamp, "timestamp");
        headers = List.copyOf(headers);
    }

    static DeadLetter of(ConsumerRecord<byte[], byte[]> record) {
        List<Header> headers = new ArrayList<>();
        record.headers().forEach(headers::add);
        return new DeadLetter(record.topic(), record.partition(), record.offset(),
                Instant.ofEpochMilli(record.timestamp()), record.key(), record.value(), headers);
    }

    /** {@code <dlq>:<partition>:<offset>}: the {@link DeadLetters#REPLAYED_FROM} header. */
    String address() {
        return dlqTopic + ":" + partition + ":" + offset;
    }

    /** The key as text (keys are task ids), or empty. */
    Optional<String> keyText() {
        return Optional.ofNullable(key).map(bytes -> new String(bytes, StandardCharsets.UTF_8));
    }

    /** Bytes of the value; 0 for a tombstone. */
    int size() {
        return value == null ? 0 : value.length;
    }

    Optional<String> reason() {
        return header(DeadLetters.REASON);
    }

    Optional<String> cause() {
        return header(DeadLetters.CAUSE);
    }

    /** The topic the record was dead-lettered from, when its header says. */
    Optional<String> originTopic() {
        return header(DeadLetters.TOPIC).filter(topic -> !topic.isBlank());
    }

    OptionalInt originPartition() {
        return header(DeadLetters.PARTITION).map(DeadLetter::parseInt)
                .orElse(OptionalInt.empty());
    }

    OptionalLong originOffset() {
        return header(DeadLetters.OFFSET).map(DeadLetter::parseLong)
                .orElse(OptionalLong.empty());
    }

    /** The origin as {@code topic:partition:offset}, what of it the headers give. */
    String origin() {
        return originTopic().orElse(NONE) + ":"
                + (originPartition().isPresent() ? originPartition().getAsInt() : NONE) + ":"
                + (originOffset().isPresent() ? originOffset().getAsLong() : NONE);
    }

    /** The headers it kept from its origin: every one but the {@code dead-letter-*} ones. */
    List<Header> originalHeaders() {
        return headers.stream().filter(h -> !h.key().startsWith(DEAD_LETTER_PREFIX)).toList();
    }

    private Optional<String> header(String name) {
        return DeadLetters.header(new RecordHeaders(headers), name);
    }

    private static OptionalInt parseInt(String text) {
        try {
            return OptionalInt.of(Integer.parseInt(text.strip()));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    private static OptionalLong parseLong(String text) {
        try {
            return OptionalLong.of(Long.parseLong(text.strip()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
