package ai.collectiveagency.prompts.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.kafka.quarkus.LocalKafkaTestResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Pacing against the real in-process broker, on a broker of its own: with no consumer in the
 * paced group the producer stops at the lag bound; a slow consumer in that group then commits
 * record by record, production resumes, and the lag never exceeds the bound. Records on their
 * way to the broker while the lag is read count on top of it: without them the producer once
 * stopped at 17 against a bound of 10.
 */
@QuarkusTest
@WithTestResource(LocalKafkaTestResource.class)
@TestProfile(PacingTest.SmallBound.class)
class PacingTest {

    private static final long MAX_LAG = 10;
    private static final String GROUP = "pacing-test-fleet";
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "mp.messaging.outgoing." + Channels.PROMPTS + ".topic")
    String topic;

    @Inject
    MeterRegistry registry;

    @Test
    void producerStopsAtTheBoundAndFollowsASlowConsumerWithinIt() throws Exception {
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            Set<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .collect(Collectors.toSet());

            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (end(consumer, partitions) < MAX_LAG && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            Thread.sleep(3_000); // 150 ticks at 50 per second
            long stoppedAt = end(consumer, partitions);
            assertThat(stoppedAt).isEqualTo(MAX_LAG);
            assertThat(registry.get("prompts.paced.ticks").counter().count()).isPositive();
            assertThat(registry.get("prompts.pacing.lag").tag("group", GROUP).gauge().value())
                    .isGreaterThanOrEqualTo(MAX_LAG);

            List<Long> samples = readSlowly(consumer, partitions, stoppedAt + 3 * MAX_LAG);

            System.out.printf("PacingTest: stopped at %d, %d lag samples, max %d%n",
                    stoppedAt, samples.size(), samples.stream().mapToLong(l -> l).max().orElse(0));
            assertThat(samples).isNotEmpty().allMatch(lag -> lag <= MAX_LAG);
            assertThat(end(consumer, partitions)).isGreaterThan(stoppedAt + 2 * MAX_LAG);
        }
    }

    /** Reads one record at a time, committing each, until {@code target} are committed. */
    private List<Long> readSlowly(KafkaConsumer<String, byte[]> consumer,
                                  Set<TopicPartition> partitions, long target) throws Exception {
        consumer.subscribe(List.of(topic));
        List<Long> samples = new ArrayList<>();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        long committed = 0;
        while (committed < target && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                Thread.sleep(40); // a slow rollout: ~25 tasks per second against 50 produced
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                consumer.commitSync(Map.of(partition, new OffsetAndMetadata(record.offset() + 1)));
                committed = committed(consumer, partitions);
                samples.add(end(consumer, partitions) - committed);
            }
        }
        return samples;
    }

    private static long end(KafkaConsumer<String, byte[]> consumer,
                            Set<TopicPartition> partitions) {
        return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
    }

    private static long committed(KafkaConsumer<String, byte[]> consumer,
                                  Set<TopicPartition> partitions) {
        return consumer.committed(new HashSet<>(partitions)).values().stream()
                .filter(offset -> offset != null)
                .mapToLong(OffsetAndMetadata::offset).sum();
    }

    private KafkaConsumer<String, byte[]> consumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** A small bound, frequent checks, no end and no audit consumer, on a broker of its own. */
    public static class SmallBound implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "prompts.pacing.group", GROUP,
                    "prompts.pacing.max-lag", Long.toString(MAX_LAG),
                    "prompts.pacing.check-interval", "200ms",
                    "prompts.pacing.trainer-max-lag", "0",
                    "prompts.rate", "50",
                    "prompts.max-tasks", "0",
                    "prompts.audit.enabled", "false");
        }
    }
}
