package ai.collectiveagency.kafka.quarkus;

import ai.collectiveagency.kafka.LocalKafka;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * A real in-process Kafka broker with the catalogue's topics for a {@code @QuarkusTest}
 * ({@code @WithTestResource(LocalKafkaTestResource.class)}): the service connects to it through
 * {@code kafka.bootstrap.servers}.
 */
public class LocalKafkaTestResource implements QuarkusTestResourceLifecycleManager {

    private LocalKafka kafka;

    @Override
    public Map<String, String> start() {
        kafka = LocalKafka.startTemporary();
        return Map.of("kafka.bootstrap.servers", kafka.bootstrapServers());
    }

    @Override
    public void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }
}
