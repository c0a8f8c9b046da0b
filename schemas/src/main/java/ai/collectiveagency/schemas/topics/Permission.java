package ai.collectiveagency.schemas.topics;

import java.util.Comparator;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;

/**
 * One thing a client may do: an operation on a topic or a consumer group, by its full name. In
 * Kafka's vocabulary (which Strimzi's {@code KafkaUser} ACLs share): {@code READ}, {@code WRITE}
 * or {@code DESCRIBE} on a {@code TOPIC}, a {@code GROUP} or a {@code TRANSACTIONAL_ID}, by its
 * literal name or by a prefix.
 *
 * @param client who may
 * @param resourceType {@link ResourceType#TOPIC}, {@link ResourceType#GROUP} or
 *     {@link ResourceType#TRANSACTIONAL_ID}
 * @param resource the topic's full name or the group id
 * @param operation {@link AclOperation#READ}, {@link AclOperation#WRITE} or
 *     {@link AclOperation#DESCRIBE}
 * @param patternType {@link PatternType#LITERAL}, or {@link PatternType#PREFIXED}: every
 *     resource whose name starts with {@code resource}
 */
public record Permission(PipelineClient client, ResourceType resourceType, String resource,
        AclOperation operation, PatternType patternType) implements Comparable<Permission> {

    private static final Set<ResourceType> TYPES = Set.of(ResourceType.TOPIC, ResourceType.GROUP,
            ResourceType.TRANSACTIONAL_ID);
    private static final Set<AclOperation> OPERATIONS = Set.of(AclOperation.READ,
            AclOperation.WRITE, AclOperation.DESCRIBE);
    private static final Comparator<Permission> ORDER = Comparator
            .comparing(Permission::client).thenComparing(Permission::resourceType)
            .thenComparing(Permission::resource).thenComparing(Permission::operation)
            .thenComparing(Permission::patternType);

    public Permission {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(patternType, "patternType");
        if (!TYPES.contains(resourceType)) {
            throw new IllegalArgumentException("not a topic, group or transactional id: "
                    + resourceType);
        }
        if (patternType != PatternType.LITERAL && patternType != PatternType.PREFIXED) {
            throw new IllegalArgumentException("not literal or prefixed: " + patternType);
        }
        if (!OPERATIONS.contains(operation)) {
            throw new IllegalArgumentException("not read, write or describe: " + operation);
        }
        if (resourceType == ResourceType.GROUP && operation == AclOperation.WRITE) {
            throw new IllegalArgumentException("a group is read or described, not written");
        }
    }

    /** On the resource named {@code resource} exactly. */
    public Permission(PipelineClient client, ResourceType resourceType, String resource,
            AclOperation operation) {
        this(client, resourceType, resource, operation, PatternType.LITERAL);
    }

    @Override
    public int compareTo(Permission other) {
        return ORDER.compare(this, other);
    }
}
