package ai.collectiveagency.kafka.quarkus;

import ai.collectiveagency.kafka.LocalKafka;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * A real in-process Kafka broker with the catalogue's topics for a {@code @QuarkusTest}
 * ({@code @WithTestResource(LocalKafkaTestResource.class)}): the service connects to it through
 * {@code kafka.bootstrap.servers}. With the init argument {@value #PREFIX} the topics are
 * created under that prefix and the service is given it as {@code pipeline.topic-prefix}.
 */
public class LocalKafkaTestResource implements QuarkusTestResourceLifecycleManager {

    /** Init argument: the topic prefix (default the catalogue's). */
    public static final String PREFIX = "topic-prefix";

    private LocalKafka kafka;
    private String prefix = TopicCatalogue.DEFAULT_PREFIX;

    @Override
    public void init(Map<String, String> initArgs) {
        prefix = initArgs.getOrDefault(PREFIX, TopicCatalogue.DEFAULT_PREFIX);
    }

    @Override
    public Map<String, String> start() {
        kafka = LocalKafka.startTemporary(TopicCatalogue.withPrefix(prefix));
        return Map.of("kafka.bootstrap.servers", kafka.bootstrapServers(),
                "pipeline.topic-prefix", prefix);
    }

    @Override
    public void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }
}
