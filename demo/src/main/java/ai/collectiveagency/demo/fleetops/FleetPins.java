package ai.collectiveagency.demo.fleetops;

import ai.collectiveagency.schemas.FleetPin;
import ai.collectiveagency.schemas.kafka.FleetPinDeserializer;
import ai.collectiveagency.schemas.kafka.KafkaClientSettings;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The fleet's current pin as the fleet-control topic holds it: its last record that decodes
 * (what {@code fleet status} shows). It reads the record as written; whether the replicas trust
 * its signature is theirs to say ({@code rollout_pins_refused_total}).
 *
 * <pre>{@code
 * Optional<FleetPin> pin = FleetPins.current(settings, TopicCatalogue.defaults(),
 *         Duration.ofSeconds(10));
 * }</pre>
 */
public final class FleetPins {

    private FleetPins() {
    }

    /**
     * The last record of the topic, or empty when it has none (or does not exist).
     *
     * @throws FleetException when the broker does not answer within {@code timeout}
     */
    public static Optional<FleetPin> current(KafkaClientSettings kafka, TopicCatalogue topics,
            Duration timeout) {
        String topic = topics.name(LogicalTopic.CONTROL);
        Map<String, Object> props = kafka.assignedConsumer("fleet-pins", timeout);
        FleetPinDeserializer deserializer = new FleetPinDeserializer();
        deserializer.configure(kafka.asMap(), false);
        try (KafkaConsumer<String, FleetPin> consumer = new KafkaConsumer<>(props,
                new StringDeserializer(), deserializer)) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, timeout);
            if (partitions == null || partitions.isEmpty()) {
                return Optional.empty();
            }
            TopicPartition partition = new TopicPartition(topic, partitions.get(0).partition());
            consumer.assign(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), timeout).get(partition);
            long start = consumer.beginningOffsets(List.of(partition), timeout).get(partition);
            return end <= start ? Optional.empty() : last(consumer, partition, start, end,
                    timeout);
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new FleetException("reading " + topic + " took longer than " + timeout
                    + ": is the broker at " + kafka.asMap().get("bootstrap.servers") + " up?", e);
        }
    }

    /** Reads from the start (compaction may have left gaps) to the end, keeping the last. */
    private static Optional<FleetPin> last(KafkaConsumer<String, FleetPin> consumer,
            TopicPartition partition, long start, long end, Duration timeout) {
        consumer.seek(partition, start);
        FleetPin last = null;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (consumer.position(partition) < end && System.nanoTime() < deadline) {
            try {
                for (ConsumerRecord<String, FleetPin> record : consumer.poll(
                        Duration.ofMillis(200))) {
                    if (record.value() != null) {
                        last = record.value();
                    }
                }
            } catch (RecordDeserializationException e) {
                consumer.seek(partition, e.offset() + 1); // not a pin: the replicas refuse it
            }
        }
        return Optional.ofNullable(last);
    }
}
