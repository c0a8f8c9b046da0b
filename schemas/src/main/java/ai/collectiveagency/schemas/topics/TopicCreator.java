package ai.collectiveagency.schemas.topics;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the catalogue's missing topics and leaves existing ones as they are. */
public final class TopicCreator {

    private final TopicCatalogue catalogue;

    public TopicCreator(TopicCatalogue catalogue) {
        this.catalogue = Objects.requireNonNull(catalogue, "catalogue");
    }

    /**
     * Idempotent: creates the topics that do not exist yet. A topic another client creates at
     * the same moment counts as existing.
     *
     * @return the names this call created, sorted; empty when all existed
     */
    public Set<String> ensureTopics(Admin admin) throws InterruptedException {
        Set<String> existing;
        try {
            existing = admin.listTopics().names().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot list topics", e.getCause());
        }
        List<NewTopic> missing = catalogue.newTopics().stream()
                .filter(topic -> !existing.contains(topic.name()))
                .toList();
        Set<String> created = new TreeSet<>();
        if (missing.isEmpty()) {
            return created;
        }
        for (Map.Entry<String, KafkaFuture<Void>> result
                : admin.createTopics(missing).values().entrySet()) {
            try {
                result.getValue().get();
                created.add(result.getKey());
            } catch (ExecutionException e) {
                // Lost a race with another creator: the topic is there, which is all we want.
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException(
                            "cannot create topic " + result.getKey(), e.getCause());
                }
            }
        }
        return created;
    }
}
