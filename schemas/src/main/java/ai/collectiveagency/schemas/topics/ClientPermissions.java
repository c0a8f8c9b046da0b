package ai.collectiveagency.schemas.topics;

import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;

/**
 * What each client may do, derived from the catalogue's {@link TopicAccess}: exactly what its
 * code does, nothing more.
 *
 * <ul>
 *   <li>a writer may {@code WRITE} the topic (which covers an idempotent producer);
 *   <li>a reader may {@code READ} the topic, and {@code READ} its consumer group when it has one;
 *   <li>a transactional stage may also {@code WRITE} (which covers {@code DESCRIBE}) the
 *       transactional ids that start with {@code <its group>-};
 *   <li>a lag reader may {@code DESCRIBE} the topic and each reader's group (committed offsets);
 *   <li>a {@code DESCRIBE} that a {@code READ} or {@code WRITE} on the same resource already
 *       implies is left out.
 * </ul>
 */
public final class ClientPermissions {

    private ClientPermissions() {
    }

    /** Every client's permissions, sorted by client, resource and operation. */
    public static Set<Permission> of(TopicCatalogue catalogue) {
        Set<Permission> granted = new TreeSet<>();
        for (TopicSpec topic : catalogue.all()) {
            TopicAccess access = topic.access();
            access.writers().forEach(client -> granted.add(onTopic(client, topic,
                    AclOperation.WRITE)));
            for (TopicReader reader : access.readers()) {
                granted.add(onTopic(reader.client(), topic, AclOperation.READ));
                reader.group().ifPresent(group -> granted.add(new Permission(reader.client(),
                        ResourceType.GROUP, group, AclOperation.READ)));
                reader.transactionalIdPrefix().ifPresent(prefix -> granted.add(new Permission(
                        reader.client(), ResourceType.TRANSACTIONAL_ID, prefix,
                        AclOperation.WRITE, PatternType.PREFIXED)));
            }
            for (PipelineClient client : access.lagReaders()) {
                granted.add(onTopic(client, topic, AclOperation.DESCRIBE));
                access.groups().forEach(group -> granted.add(new Permission(client,
                        ResourceType.GROUP, group, AclOperation.DESCRIBE)));
            }
        }
        granted.removeIf(p -> p.operation() == AclOperation.DESCRIBE && implied(granted, p));
        return granted;
    }

    /** The permissions of {@code client}. */
    public static Set<Permission> of(TopicCatalogue catalogue, PipelineClient client) {
        Set<Permission> mine = new TreeSet<>(of(catalogue));
        mine.removeIf(p -> p.client() != client);
        return mine;
    }

    private static Permission onTopic(PipelineClient client, TopicSpec topic,
            AclOperation operation) {
        return new Permission(client, ResourceType.TOPIC, topic.name(), operation);
    }

    private static boolean implied(Set<Permission> granted, Permission describe) {
        return granted.stream().anyMatch(p -> p.client() == describe.client()
                && p.resourceType() == describe.resourceType()
                && p.resource().equals(describe.resource())
                && p.operation() != AclOperation.DESCRIBE);
    }
}
