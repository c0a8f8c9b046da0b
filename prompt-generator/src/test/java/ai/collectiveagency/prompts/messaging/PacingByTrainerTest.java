package ai.collectiveagency.prompts.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.kafka.quarkus.LocalKafkaTestResource;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Pacing by the trainer's lag on the scored topic, against the real in-process broker: while
 * the trainer's group has not committed the scored groups waiting for it, no task is sent; once
 * it commits them (as the trainer does with its progress), sending resumes.
 */
@QuarkusTest
@WithTestResource(LocalKafkaTestResource.class)
@TestProfile(PacingByTrainerTest.TrainerBound.class)
class PacingByTrainerTest {

    private static final int MAX_LAG = 5;
    private static final String TRAINER = "pacing-test-trainer";
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "mp.messaging.outgoing." + Channels.PROMPTS + ".topic")
    String prompts;

    @ConfigProperty(name = "pipeline.topic-prefix")
    String prefix;

    @Inject
    MeterRegistry registry;

    @Test
    void noTaskIsSentWhileTheTrainerIsBehindAndSendingResumesWhenItCatchesUp() throws Exception {
        String scored = TopicCatalogue.withPrefix(prefix).name(LogicalTopic.SCORED);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers));
                KafkaProducer<String, byte[]> producer = producer()) {
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (end(admin, prompts) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(end(admin, prompts)).as("sent while the trainer is not behind")
                    .isPositive();

            for (int i = 0; i < MAX_LAG; i++) {
                producer.send(new ProducerRecord<>(scored, "group-" + i, new byte[] {1})).get();
            }
            Thread.sleep(1_000); // the gate's next measurements see the trainer behind
            long stoppedAt = end(admin, prompts);
            Thread.sleep(2_000); // 100 ticks at 50 per second
            assertThat(end(admin, prompts)).as("sent while the trainer is behind")
                    .isEqualTo(stoppedAt);
            assertThat(registry.get("prompts.pacing.lag").tag("group", TRAINER).gauge().value())
                    .isGreaterThanOrEqualTo(MAX_LAG);

            Map<TopicPartition, OffsetAndMetadata> caughtUp = ends(admin, scored).entrySet()
                    .stream().collect(Collectors.toMap(Map.Entry::getKey,
                            e -> new OffsetAndMetadata(e.getValue())));
            admin.alterConsumerGroupOffsets(TRAINER, caughtUp).all().get();
            deadline = System.nanoTime() + DEADLINE.toNanos();
            while (end(admin, prompts) <= stoppedAt + MAX_LAG && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(end(admin, prompts)).as("sent once the trainer caught up")
                    .isGreaterThan(stoppedAt + MAX_LAG);
        }
    }

    private static long end(Admin admin, String topic) throws Exception {
        return ends(admin, topic).values().stream().mapToLong(Long::longValue).sum();
    }

    private static Map<TopicPartition, Long> ends(Admin admin, String topic) throws Exception {
        Set<TopicPartition> partitions = admin.describeTopics(Set.of(topic)).allTopicNames().get()
                .get(topic).partitions().stream()
                .map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toSet());
        return admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p,
                        p -> OffsetSpec.latest())))
                .all().get().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers), new StringSerializer(), new ByteArraySerializer());
    }

    /** Paced by the trainer's group alone, frequent checks, no end and no audit consumer. */
    public static class TrainerBound implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "prompts.pacing.max-lag", "0",
                    "prompts.pacing.trainer-group", TRAINER,
                    "prompts.pacing.trainer-max-lag", Integer.toString(MAX_LAG),
                    "prompts.pacing.check-interval", "200ms",
                    "prompts.rate", "50",
                    "prompts.max-tasks", "0",
                    "prompts.audit.enabled", "false");
        }
    }
}
