package ai.collectiveagency.k8s.strimzi;

import ai.collectiveagency.schemas.topics.TopicCatalogue;
import ai.collectiveagency.schemas.topics.TopicSpec;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.topic.KafkaTopicBuilder;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Strimzi {@code KafkaTopic} per catalogue topic, dead-letter topics included: the same name,
 * partitions, replicas and configs ({@code cleanup.policy}, {@code retention.ms},
 * {@code max.message.bytes}) as {@link TopicCatalogue#ensureTopics} creates on a local broker.
 */
public final class KafkaTopics {

    private KafkaTopics() {
    }

    /** Every topic of {@code catalogue}, in its order, for {@code cluster}'s topic operator. */
    public static List<KafkaTopic> of(TopicCatalogue catalogue, StrimziCluster cluster) {
        return catalogue.all().stream().map(topic -> of(topic, cluster)).toList();
    }

    static KafkaTopic of(TopicSpec topic, StrimziCluster cluster) {
        Map<String, Object> config = new TreeMap<>(topic.configs());
        return new KafkaTopicBuilder()
                .withNewMetadata()
                    .withName(StrimziCluster.resourceName(topic.name()))
                    .withLabels(cluster.labels())
                .endMetadata()
                .withNewSpec()
                    .withTopicName(topic.name())
                    .withPartitions(topic.partitions())
                    .withReplicas((int) topic.replicationFactor())
                    .withConfig(config)
                .endSpec()
                .build();
    }
}
