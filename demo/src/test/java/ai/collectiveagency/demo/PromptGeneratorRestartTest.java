package ai.collectiveagency.demo;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.demo.fleet.Fleet;
import ai.collectiveagency.demo.fleet.ServiceProcess;
import ai.collectiveagency.demo.fleet.ServiceSpec;
import ai.collectiveagency.kafka.LocalKafka;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Graceful shutdown of the packaged prompt-generator, as Kubernetes or Ctrl-C does it (SIGTERM)
 * while it sends 40 tasks a second, then a restart: the topic holds every task index from 0 on
 * exactly once — nothing in flight was lost, nothing was sent twice.
 */
class PromptGeneratorRestartTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void aStopInMidStreamAndARestartLeaveNoGapAndNoDuplicate() throws Exception {
        try (Fleet fleet = Fleet.on(LocalKafka.startTemporary(),
                Path.of("target/prompt-generator-restart-logs"))) {
            String kafka = fleet.bootstrapServers();
            ServiceProcess first = fleet.start(spec(kafka), Duration.ofMinutes(2));
            Thread.sleep(3000);
            first.stop(Duration.ofSeconds(30));
            int afterStop = ids(kafka, Duration.ofSeconds(3)).size();
            ServiceProcess second = fleet.start(spec(kafka), Duration.ofMinutes(2));
            Thread.sleep(2000);
            second.stop(Duration.ofSeconds(30));

            List<String> ids = ids(kafka, Duration.ofSeconds(3));
            List<Long> indices = ids.stream()
                    .map(id -> Long.parseLong(id.substring(id.lastIndexOf('-') + 1)))
                    .sorted().toList();
            System.out.printf("prompt-generator restart: %d tasks after the stop, %d in all%n",
                    afterStop, ids.size());
            assertThat(afterStop).isPositive();
            assertThat(ids.size()).isGreaterThan(afterStop);
            assertThat(ids).doesNotHaveDuplicates();
            for (int i = 0; i < indices.size(); i++) {
                assertThat(indices.get(i)).as("task index %d", i).isEqualTo(i);
            }
        }
    }

    private static ServiceSpec spec(String kafka) {
        return ServiceSpec.packaged(ROOT, "prompt-generator", Fleet.freePort(), "512m",
                Map.of("kafka.bootstrap.servers", kafka, "prompts.rate", "40",
                        "prompts.pacing.max-lag", "0", "prompts.pacing.trainer-max-lag", "0",
                        "prompts.audit.enabled", "false",
                        "prompts.seed", "11"));
    }

    private static List<String> ids(String kafka, Duration quiet) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "restart-test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> ids = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props,
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(TopicCatalogue.defaults().name(LogicalTopic.PROMPTS)));
            long lastRecord = System.nanoTime();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() - lastRecord < quiet.toNanos()
                    && System.nanoTime() < deadline) {
                var records = consumer.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    lastRecord = System.nanoTime();
                }
                records.forEach(r -> ids.add(r.key()));
            }
        }
        return ids;
    }
}
