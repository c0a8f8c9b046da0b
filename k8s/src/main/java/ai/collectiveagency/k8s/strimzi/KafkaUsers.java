package ai.collectiveagency.k8s.strimzi;

import ai.collectiveagency.schemas.topics.ClientPermissions;
import ai.collectiveagency.schemas.topics.Permission;
import ai.collectiveagency.schemas.topics.PipelineClient;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserBuilder;
import io.strimzi.api.kafka.model.user.KafkaUserScramSha512ClientAuthentication;
import io.strimzi.api.kafka.model.user.acl.AclOperation;
import io.strimzi.api.kafka.model.user.acl.AclResourcePatternType;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTransactionalIdResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A Strimzi {@code KafkaUser} per pipeline client: SCRAM-SHA-512 (the user operator keeps the
 * password in a Secret named after the user, key {@code sasl.jaas.config} ready for a client)
 * and exactly the ACLs {@link ClientPermissions} derives from the catalogue, one rule per
 * permission. Only the trainer may write checkpoints, because only it is a writer of them.
 */
public final class KafkaUsers {

    private KafkaUsers() {
    }

    /** One user per {@link PipelineClient}, in its order. */
    public static List<KafkaUser> of(TopicCatalogue catalogue, StrimziCluster cluster) {
        List<KafkaUser> users = new ArrayList<>();
        for (PipelineClient client : PipelineClient.values()) {
            users.add(of(client, ClientPermissions.of(catalogue, client), cluster));
        }
        return List.copyOf(users);
    }

    static KafkaUser of(PipelineClient client, Set<Permission> permissions,
            StrimziCluster cluster) {
        return new KafkaUserBuilder()
                .withNewMetadata()
                    .withName(StrimziCluster.resourceName(client.user()))
                    .withLabels(cluster.labels())
                .endMetadata()
                .withNewSpec()
                    .withAuthentication(new KafkaUserScramSha512ClientAuthentication())
                    .withNewKafkaUserAuthorizationSimple()
                        .withAcls(permissions.stream().map(KafkaUsers::rule).toList())
                    .endKafkaUserAuthorizationSimple()
                .endSpec()
                .build();
    }

    /** The ACL rule that grants {@code permission}: allow, from any host. */
    static AclRule rule(Permission permission) {
        return new AclRule(AclRuleType.ALLOW, resource(permission), "*",
                List.of(operation(permission)));
    }

    private static AclOperation operation(Permission permission) {
        return switch (permission.operation()) {
            case READ -> AclOperation.READ;
            case WRITE -> AclOperation.WRITE;
            case DESCRIBE -> AclOperation.DESCRIBE;
            default -> throw new IllegalArgumentException("no Strimzi operation for "
                    + permission.operation());
        };
    }

    private static AclRuleResource resource(Permission permission) {
        AclResourcePatternType pattern = switch (permission.patternType()) {
            case LITERAL -> AclResourcePatternType.LITERAL;
            case PREFIXED -> AclResourcePatternType.PREFIX;
            default -> throw new IllegalArgumentException("no Strimzi pattern for "
                    + permission.patternType());
        };
        return switch (permission.resourceType()) {
            case TOPIC -> {
                AclRuleTopicResource topic = new AclRuleTopicResource();
                topic.setName(permission.resource());
                topic.setPatternType(pattern);
                yield topic;
            }
            case GROUP -> {
                AclRuleGroupResource group = new AclRuleGroupResource();
                group.setName(permission.resource());
                group.setPatternType(pattern);
                yield group;
            }
            case TRANSACTIONAL_ID -> {
                AclRuleTransactionalIdResource id = new AclRuleTransactionalIdResource();
                id.setName(permission.resource());
                id.setPatternType(pattern);
                yield id;
            }
            default -> throw new IllegalArgumentException("no Strimzi resource for "
                    + permission.resourceType());
        };
    }
}
