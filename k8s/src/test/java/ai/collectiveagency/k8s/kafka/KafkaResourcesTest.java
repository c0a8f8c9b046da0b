package ai.collectiveagency.k8s.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.k8s.render.Manifest;
import ai.collectiveagency.k8s.render.Workload;
import ai.collectiveagency.kafka.TopicsCommand;
import ai.collectiveagency.schemas.topics.ClientPermissions;
import ai.collectiveagency.schemas.topics.Permission;
import ai.collectiveagency.schemas.topics.PipelineClient;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import ai.collectiveagency.schemas.topics.TopicSpec;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTransactionalIdResource;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Strimzi resources of each overlay against the catalogue and the services' configuration:
 * every topic with its partitions and configs, and for each service a user whose ACLs are
 * exactly what its configuration reads and writes.
 */
class KafkaResourcesTest {

    private static final TopicCatalogue CATALOGUE = TopicCatalogue.defaults();

    @ParameterizedTest
    @ValueSource(strings = {"local", "gpu", "production"})
    void everyCatalogueTopicHasItsKafkaTopic(String overlay) {
        Map<String, KafkaTopic> rendered = Manifest.overlay(overlay).all(KafkaTopic.class)
                .stream().collect(Collectors.toMap(t -> t.getSpec().getTopicName(), t -> t));

        assertThat(rendered.keySet()).as(overlay + " KafkaTopics")
                .containsExactlyInAnyOrderElementsOf(CATALOGUE.all().stream()
                        .map(TopicSpec::name).toList());
        for (TopicSpec topic : CATALOGUE.all()) {
            KafkaTopic kafkaTopic = rendered.get(topic.name());
            assertThat(kafkaTopic.getSpec().getPartitions()).as(overlay + " " + topic.name())
                    .isEqualTo(topic.partitions());
            Map<String, String> config = new TreeMap<>();
            kafkaTopic.getSpec().getConfig().forEach((k, v) -> config.put(k, String.valueOf(v)));
            assertThat(config).as(overlay + " " + topic.name() + " config")
                    .containsAllEntriesOf(topic.configs());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "gpu", "production"})
    void kafkaTopicsEqualWhatPipelineTopicsPrints(String overlay) {
        Map<String, Integer> printed = new TreeMap<>();
        for (JsonNode topic : TopicsCommand.asJson(CATALOGUE.all())) {
            printed.put(topic.get("name").asText(), topic.get("partitions").asInt());
        }
        Map<String, Integer> rendered = new TreeMap<>();
        Manifest.overlay(overlay).all(KafkaTopic.class).forEach(t -> rendered.put(
                t.getSpec().getTopicName(), t.getSpec().getPartitions()));

        assertThat(rendered).as(overlay + " KafkaTopics vs ./pipeline topics --json")
                .isEqualTo(printed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "gpu", "production"})
    void topicsFitTheBrokers(String overlay) {
        Manifest manifest = Manifest.overlay(overlay);
        int brokers = manifest.all(KafkaNodePool.class).stream()
                .filter(pool -> pool.getSpec().getRoles().stream()
                        .anyMatch(role -> role.toValue().equals("broker")))
                .mapToInt(pool -> pool.getSpec().getReplicas()).sum();
        for (KafkaTopic topic : manifest.all(KafkaTopic.class)) {
            assertThat(topic.getSpec().getReplicas()).as(overlay + " " + topic.getSpec()
                    .getTopicName() + " replicas of " + brokers + " brokers")
                    .isBetween(1, brokers);
            Object minInSync = topic.getSpec().getConfig().get("min.insync.replicas");
            if (minInSync != null) {
                assertThat(Integer.parseInt(minInSync.toString()))
                        .isLessThanOrEqualTo(topic.getSpec().getReplicas());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "gpu", "production"})
    void eachServiceUserMayDoExactlyWhatItsConfigurationDoes(String overlay) {
        Manifest manifest = Manifest.overlay(overlay);
        for (String service : Workload.SERVICES) {
            Workload workload = Workload.of(manifest, service);
            PipelineClient client = clientOf(service);
            Set<Permission> configured = ConfiguredAccess.of(workload, client);
            KafkaUser user = manifest.find(KafkaUser.class, service).orElseThrow(
                    () -> new AssertionError(overlay + ": no KafkaUser " + service));

            assertThat(granted(client, user)).as(overlay + " " + service + " ACLs")
                    .isEqualTo(configured)
                    .isEqualTo(ClientPermissions.of(CATALOGUE, client));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "gpu", "production"})
    void eachServiceLogsInAsItsOwnUser(String overlay) {
        Manifest manifest = Manifest.overlay(overlay);
        for (String service : Workload.SERVICES) {
            EnvVar jaas = Workload.of(manifest, service).mainContainer().getEnv().stream()
                    .filter(e -> e.getName().equals("KAFKA_SASL_JAAS_CONFIG")).findFirst()
                    .orElseThrow(() -> new AssertionError(overlay + " " + service
                            + " has no KAFKA_SASL_JAAS_CONFIG"));
            assertThat(jaas.getValue()).as("never a literal").isNull();
            assertThat(jaas.getValueFrom().getSecretKeyRef().getName())
                    .as(overlay + " " + service + " credentials").isEqualTo(service);
            assertThat(jaas.getValueFrom().getSecretKeyRef().getKey())
                    .isEqualTo("sasl.jaas.config");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "gpu", "production"})
    void onlyTheTrainerMayWriteCheckpoints(String overlay) {
        String checkpoints = CATALOGUE.name(
                ai.collectiveagency.schemas.topics.LogicalTopic.CHECKPOINTS);
        for (KafkaUser user : Manifest.overlay(overlay).all(KafkaUser.class)) {
            boolean writes = ((KafkaUserAuthorizationSimple) user.getSpec().getAuthorization())
                    .getAcls().stream().anyMatch(rule -> rule.getResource()
                            instanceof AclRuleTopicResource topic
                            && (topic.getPatternType()
                                    == io.strimzi.api.kafka.model.user.acl
                                            .AclResourcePatternType.PREFIX
                                    ? checkpoints.startsWith(topic.getName())
                                    : checkpoints.equals(topic.getName()))
                            && rule.getOperations().contains(
                                    io.strimzi.api.kafka.model.user.acl.AclOperation.WRITE));
            assertThat(writes).as(overlay + " " + user.getMetadata().getName()
                    + " writes checkpoints")
                    .isEqualTo(user.getMetadata().getName().equals("trainer-service"));
        }
    }

    private static PipelineClient clientOf(String service) {
        for (PipelineClient client : PipelineClient.values()) {
            if (client.user().equals(service)) {
                return client;
            }
        }
        throw new AssertionError("no pipeline client " + service);
    }

    /** The KafkaUser's ACL rules in the catalogue's vocabulary. */
    private static Set<Permission> granted(PipelineClient client, KafkaUser user) {
        Set<Permission> granted = new TreeSet<>();
        KafkaUserAuthorizationSimple simple =
                (KafkaUserAuthorizationSimple) user.getSpec().getAuthorization();
        for (AclRule rule : simple.getAcls()) {
            for (io.strimzi.api.kafka.model.user.acl.AclOperation operation
                    : rule.getOperations()) {
                AclOperation kafkaOperation = AclOperation.fromString(operation.toValue());
                if (rule.getResource() instanceof AclRuleTopicResource topic) {
                    granted.add(new Permission(client, ResourceType.TOPIC, topic.getName(),
                            kafkaOperation, pattern(topic.getPatternType())));
                } else if (rule.getResource() instanceof AclRuleGroupResource group) {
                    granted.add(new Permission(client, ResourceType.GROUP, group.getName(),
                            kafkaOperation, pattern(group.getPatternType())));
                } else if (rule.getResource() instanceof AclRuleTransactionalIdResource id) {
                    granted.add(new Permission(client, ResourceType.TRANSACTIONAL_ID,
                            id.getName(), kafkaOperation, pattern(id.getPatternType())));
                } else {
                    throw new AssertionError(user.getMetadata().getName()
                            + " has a rule on " + rule.getResource());
                }
            }
        }
        return granted;
    }

    private static PatternType pattern(
            io.strimzi.api.kafka.model.user.acl.AclResourcePatternType type) {
        return type == io.strimzi.api.kafka.model.user.acl.AclResourcePatternType.PREFIX
                ? PatternType.PREFIXED : PatternType.LITERAL;
    }
}
