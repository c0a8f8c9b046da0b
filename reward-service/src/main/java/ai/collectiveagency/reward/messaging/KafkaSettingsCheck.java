package ai.collectiveagency.reward.messaging;

import ai.collectiveagency.schemas.kafka.KafkaClientSettings;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;

/**
 * Stops the start when the channels' Kafka settings (the {@code kafka.*} keys) cannot work,
 * naming the key: the same checks the other services' hand-built clients make. Without it a
 * login set with {@code security.protocol} left at PLAINTEXT would only show as a readiness
 * check that never comes up.
 */
@ApplicationScoped
class KafkaSettingsCheck {

    void check(@Observes StartupEvent started,
            @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        KafkaClientSettings.of(kafka);
    }
}
