package ai.collectiveagency.demo.fleetops;

import ai.collectiveagency.schemas.FleetPin;
import ai.collectiveagency.schemas.FleetPins;
import ai.collectiveagency.schemas.kafka.FleetPinSerializer;
import ai.collectiveagency.schemas.kafka.KafkaClientSettings;
import ai.collectiveagency.schemas.signing.FleetPinSigner;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Signs a pin or an unpin with the operator's key and writes it to the fleet-control topic
 * under key {@value FleetPins#KEY}, waiting for every in-sync replica's acknowledgement.
 */
final class FleetPinWriter {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final KafkaClientSettings kafka;
    private final TopicCatalogue topics;
    private final FleetPinSigner signer;
    private final Clock clock;

    FleetPinWriter(KafkaClientSettings kafka, TopicCatalogue topics, FleetPinSigner signer,
            Clock clock) {
        this.kafka = kafka;
        this.topics = topics;
        this.signer = signer;
        this.clock = clock;
    }

    /** Pins the fleet to {@code version}. */
    Written pin(long version, String reason) {
        return write(FleetPin.newBuilder().setPinned(true).setVersion(version)
                .setIssuedAt(clock.instant()).setIssuer(issuer()).setReason(reason).build());
    }

    /** Lifts the pin. */
    Written unpin(String reason) {
        return write(FleetPin.newBuilder().setPinned(false).setVersion(null)
                .setIssuedAt(clock.instant()).setIssuer(issuer()).setReason(reason).build());
    }

    private Written write(FleetPin unsigned) {
        FleetPin signed = signer.sign(unsigned);
        String topic = topics.name(LogicalTopic.CONTROL);
        Map<String, Object> props = kafka.producer("fleet-pin");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                topics.spec(LogicalTopic.CONTROL).maxMessageBytes());
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) TIMEOUT.toMillis());
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis() / 2);
        FleetPinSerializer serializer = new FleetPinSerializer();
        serializer.configure(kafka.asMap(), false);
        try (KafkaProducer<String, FleetPin> producer = new KafkaProducer<>(props,
                new StringSerializer(), serializer)) {
            RecordMetadata written = producer.send(new ProducerRecord<>(topic, FleetPins.KEY,
                    signed)).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return new Written(signed, written.topic(), written.partition(), written.offset());
        } catch (ExecutionException e) {
            throw new FleetException("writing to " + topic + " failed: " + e.getCause(),
                    e.getCause());
        } catch (TimeoutException | org.apache.kafka.common.errors.TimeoutException e) {
            throw new FleetException("writing to " + topic + " took longer than " + TIMEOUT
                    + ": is the broker at " + kafka.asMap().get("bootstrap.servers")
                    + " up, and does the topic exist?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FleetException("interrupted while writing to " + topic, e);
        }
    }

    /** Who issues the record, for the replicas' logs: {@code user@host}. */
    private static String issuer() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return System.getProperty("user.name", "operator") + "@" + host;
    }

    /**
     * A record as written.
     *
     * @param record the signed record
     * @param topic, partition, offset where it is
     */
    record Written(FleetPin record, String topic, int partition, long offset) {
    }
}
