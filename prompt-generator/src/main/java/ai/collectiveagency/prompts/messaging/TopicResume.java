package ai.collectiveagency.prompts.messaging;

import ai.collectiveagency.prompts.config.PromptGeneratorConfig;
import ai.collectiveagency.schemas.kafka.KafkaClientSettings;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reads the {@link ResumePoint} of this run (seed {@code prompts.seed}) from the prompts topic
 * with a short-lived consumer that joins no group and commits nothing; with
 * {@code prompts.resume=false} every run starts at index 0. The consumer takes the channels'
 * Kafka settings (the {@code kafka.*} keys, security included). A singleton without a client proxy:
 * a tick still running while the service stops must not look the bean up again.
 */
@Singleton
public class TopicResume {

    /** The longest one attempt to read the topic's tail may take. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final PromptGeneratorConfig config;
    private final KafkaClientSettings kafka;
    private final String topic;

    TopicResume(PromptGeneratorConfig config,
            @Identifier("default-kafka-broker") Map<String, Object> kafka,
            @ConfigProperty(name = "mp.messaging.outgoing." + Channels.PROMPTS + ".topic")
            String topic) {
        this.config = config;
        this.kafka = KafkaClientSettings.of(kafka);
        this.topic = topic;
    }

    /**
     * The first task index this run has not sent yet.
     *
     * @throws org.apache.kafka.common.KafkaException when the broker cannot be read in time
     */
    long nextIndex() {
        if (!config.resume()) {
            return 0;
        }
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                kafka.assignedConsumer("prompt-generator-resume", TIMEOUT),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            return ResumePoint.nextIndex(consumer, topic, config.seed(), TIMEOUT);
        }
    }

    String topic() {
        return topic;
    }
}
