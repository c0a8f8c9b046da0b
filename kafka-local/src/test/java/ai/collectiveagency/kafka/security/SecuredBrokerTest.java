package ai.collectiveagency.kafka.security;

import static ai.collectiveagency.kafka.security.SecuredClients.admin;
import static ai.collectiveagency.kafka.security.SecuredClients.consumer;
import static ai.collectiveagency.kafka.security.SecuredClients.producer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.collectiveagency.kafka.LocalKafka;
import ai.collectiveagency.schemas.topics.ClientPermissions;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.Permission;
import ai.collectiveagency.schemas.topics.PipelineClient;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import ai.collectiveagency.schemas.topics.TopicSpec;
import ai.collectiveagency.schemas.kafka.KafkaClientSettings;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The secured broker against real clients over SASL_SSL: who gets in, and what each pipeline
 * user may do. One broker, shared by the behaviours that do not restart it.
 */
class SecuredBrokerTest {

    private static final Duration REFUSAL = Duration.ofSeconds(2);
    private static LocalKafka kafka;
    private static TopicCatalogue topics;

    @BeforeAll
    static void startBroker() {
        kafka = LocalKafka.startTemporarySecure();
        topics = kafka.catalogue();
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aClientWithoutTlsCanNeitherProduceNorConsume() throws Exception {
        KafkaClientSettings plaintext = KafkaClientSettings.plaintext(kafka.bootstrapServers());
        String prompts = topics.name(LogicalTopic.PROMPTS);
        long before = written(prompts);

        try (KafkaProducer<String, String> producer = producer(plaintext, REFUSAL);
                KafkaConsumer<String, String> consumer = consumer(plaintext, null)) {
            assertThatThrownBy(() -> SecuredClients.write(producer, prompts))
                    .hasCauseInstanceOf(TimeoutException.class);
            assertThatThrownBy(() -> consumer.partitionsFor(prompts, REFUSAL))
                    .isInstanceOf(TimeoutException.class);
        }
        assertThat(written(prompts)).as("records on " + prompts).isEqualTo(before);
    }

    @Test
    void aClientWithAWrongPasswordIsRefusedAtLogin() {
        KafkaClientSettings settings = kafka.clientSettings(PipelineClient.PROMPT_GENERATOR);
        String jaas = settings.asMap().get(SaslConfigs.SASL_JAAS_CONFIG).toString();
        KafkaClientSettings wrong = settings.with(SaslConfigs.SASL_JAAS_CONFIG,
                jaas.replaceAll("password=\"[^\"]+\"", "password=\"guessed\""));

        try (KafkaProducer<String, String> producer = producer(wrong, REFUSAL);
                KafkaConsumer<String, String> consumer = consumer(wrong, null)) {
            assertThatThrownBy(() -> SecuredClients.write(producer,
                    topics.name(LogicalTopic.PROMPTS)))
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
            assertThatThrownBy(() -> SecuredClients.read(consumer,
                    topics.name(LogicalTopic.PROMPTS), 3))
                    .isInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void theRolloutUserCannotWriteCheckpointsButWritesRollouts() throws Exception {
        try (KafkaProducer<String, String> producer = producer(
                kafka.clientSettings(PipelineClient.ROLLOUT_SERVICE), SecuredClients.WAIT)) {
            assertThatThrownBy(() -> SecuredClients.write(producer,
                    topics.name(LogicalTopic.CHECKPOINTS)))
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
            assertThatCode(() -> SecuredClients.write(producer,
                    topics.name(LogicalTopic.ROLLOUTS))).doesNotThrowAnyException();
        }
    }

    @ParameterizedTest
    @EnumSource(PipelineClient.class)
    void eachUserMayDoWhatTheCatalogueSaysAndNothingElse(PipelineClient client)
            throws Exception {
        Set<Permission> granted = ClientPermissions.of(topics, client);
        KafkaClientSettings settings = kafka.clientSettings(client);
        try (KafkaProducer<String, String> producer = producer(settings, SecuredClients.WAIT);
                Admin admin = admin(settings)) {
            for (Permission permission : granted) {
                assertThatCode(() -> exercise(permission, settings, producer, admin))
                        .as(permission.toString()).doesNotThrowAnyException();
            }
            // Another stage's transactional ids are refused (here: an id no stage may use).
            assertThatThrownBy(() -> SecuredClients.transact(settings, "someone-else-0"))
                    .as(client.user() + " taking a transactional id not its own")
                    .isInstanceOf(AuthorizationException.class);
            for (TopicSpec topic : topics.all()) {
                if (!allows(granted, topic.name(), AclOperation.WRITE)) {
                    // The observer, which may write no topic, is refused its producer id first.
                    assertThatThrownBy(() -> SecuredClients.write(producer, topic.name()))
                            .as(client.user() + " writing " + topic.name())
                            .cause().isInstanceOf(AuthorizationException.class);
                }
                if (!allows(granted, topic.name(), AclOperation.READ)) {
                    try (KafkaConsumer<String, String> consumer = consumer(settings, null)) {
                        assertThatThrownBy(() -> SecuredClients.read(consumer, topic.name(),
                                topic.partitions())).as(client.user() + " reading "
                                + topic.name()).isInstanceOf(TopicAuthorizationException.class);
                    }
                }
            }
        }
    }

    private static void exercise(Permission permission, KafkaClientSettings settings,
            KafkaProducer<String, String> producer, Admin admin) throws Exception {
        String name = permission.resource();
        if (permission.resourceType() == ResourceType.TRANSACTIONAL_ID) {
            SecuredClients.transact(settings, name + "replica-0");
            return;
        }
        if (permission.resourceType() == ResourceType.GROUP) {
            TopicSpec topic = topicReadIn(name);
            if (permission.operation() == AclOperation.READ) {
                try (KafkaConsumer<String, String> consumer = consumer(settings, name)) {
                    SecuredClients.commit(consumer, topic.name(), topic.partitions());
                }
            } else {
                SecuredClients.readLag(admin, name, topic.name(), topic.partitions());
            }
            return;
        }
        TopicSpec topic = topics.all().stream().filter(t -> t.name().equals(name))
                .findFirst().orElseThrow();
        switch (permission.operation()) {
            case WRITE -> SecuredClients.write(producer, name);
            case READ -> {
                try (KafkaConsumer<String, String> consumer = consumer(settings, null)) {
                    SecuredClients.read(consumer, name, topic.partitions());
                }
            }
            default -> admin.listOffsets(Map.of(new TopicPartition(name, 0),
                    OffsetSpec.latest())).all().get();
        }
    }

    private static TopicSpec topicReadIn(String group) {
        return topics.all().stream().filter(t -> t.access().groups().contains(group))
                .findFirst().orElseThrow();
    }

    private static boolean allows(Set<Permission> granted, String topic, AclOperation operation) {
        return granted.stream().anyMatch(p -> p.resourceType() == ResourceType.TOPIC
                && p.resource().equals(topic) && p.operation() == operation);
    }

    @Test
    void eachUsersClientFilesAreOwnerOnlyAndConnectAsThatUser() throws Exception {
        for (PipelineClient client : PipelineClient.values()) {
            var properties = kafka.clientFile(client).orElseThrow();
            var environment = ClientFiles.environmentFile(kafka.dataDir(), client);

            assertThat(KafkaClientSettings.load(properties))
                    .isEqualTo(kafka.clientSettings(client));
            assertThat(kafka.clientSettings(client).asMap())
                    .containsEntry(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL")
                    .containsEntry(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512");
            assertThat(Files.readString(environment)).contains(
                    "KAFKA_SASL_JAAS_CONFIG='", "username=\"" + client.user() + "\"");
            for (var file : List.of(properties, environment)) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                        .as(file.toString()).isEqualTo("rw-------");
            }
        }
    }

    @Test
    void aclsTheCatalogueDoesNotGrantAreRemovedAtTheNextSync() throws Exception {
        AclBinding extra = new AclBinding(new ResourcePattern(ResourceType.TOPIC,
                topics.name(LogicalTopic.CHECKPOINTS), PatternType.LITERAL),
                new AccessControlEntry(CatalogueAcls.principal(PipelineClient.ROLLOUT_SERVICE),
                        "*", AclOperation.WRITE, AclPermissionType.ALLOW));
        try (Admin admin = kafka.createAdmin()) {
            admin.createAcls(List.of(extra)).all().get();
            // The broker applies a created ACL a moment later, and a sync can remove only what
            // the broker shows: one that ran first left the ACL to appear after it, and the
            // rollout user could then write checkpoints in the tests that ran next.
            awaitShown(admin, extra);

            CatalogueAcls.sync(admin, topics, SecuredClients.WAIT);

            Set<AclBinding> present = admin.describeAcls(AclBindingFilter.ANY).values().get()
                    .stream().collect(Collectors.toSet());
            assertThat(present).doesNotContain(extra).containsAll(CatalogueAcls.of(topics));
        }
    }

    private static void awaitShown(Admin admin, AclBinding binding) throws Exception {
        long deadline = System.nanoTime() + SecuredClients.WAIT.toNanos();
        while (!admin.describeAcls(AclBindingFilter.ANY).values().get().contains(binding)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the broker did not show " + binding + " within "
                        + SecuredClients.WAIT);
            }
            Thread.sleep(20);
        }
    }

    private static long written(String topic) throws Exception {
        try (Admin admin = kafka.createAdmin()) {
            Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
            for (int p = 0; p < topics.spec(LogicalTopic.PROMPTS).partitions(); p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            return admin.listOffsets(latest).all().get().values().stream()
                    .mapToLong(info -> info.offset()).sum();
        }
    }
}
