package ai.collectiveagency.demo.fleetops;

import ai.collectiveagency.schemas.topics.PipelineClient;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import ai.collectiveagency.schemas.topics.TopicReader;
import ai.collectiveagency.schemas.topics.TopicSpec;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A scalable stage, as the topic catalogue has it: a service that reads a topic in a
 * consumer group, as a transactional stage (rollout-service on prompts, reward-service on
 * rollouts). Its replicas share the topic's partitions, so the partitions bound them.
 *
 * @param service the service (its Kafka user, its {@code app.kubernetes.io/name})
 * @param group its consumer group
 * @param input the topic it consumes
 */
record Stage(String service, String group, TopicSpec input) {

    /** The stage of {@code service}, if it is one. */
    static Optional<Stage> of(TopicCatalogue topics, String service) {
        return Optional.ofNullable(all(topics).get(service));
    }

    /** Every stage of the catalogue, by service. */
    static Map<String, Stage> all(TopicCatalogue topics) {
        Map<String, Stage> stages = new TreeMap<>();
        for (TopicSpec topic : topics.all()) {
            for (TopicReader reader : topic.access().readers()) {
                if (reader.transactional()) {
                    String service = reader.client().user();
                    stages.put(service, new Stage(service, reader.group().orElseThrow(), topic));
                }
            }
        }
        return stages;
    }

    /** The trainer's name, whose lag Kafka's offsets and its checkpoints give. */
    static String trainer() {
        return PipelineClient.TRAINER_SERVICE.user();
    }
}
