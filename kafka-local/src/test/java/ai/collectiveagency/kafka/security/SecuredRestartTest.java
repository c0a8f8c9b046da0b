package ai.collectiveagency.kafka.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.collectiveagency.kafka.LocalKafka;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.PipelineClient;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import ai.collectiveagency.schemas.kafka.KafkaClientSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A secured broker started again on its folder: what it keeps, and password rotation. */
class SecuredRestartTest {

    @TempDir
    Path data;

    @Test
    void aRestartKeepsTheCaAndPasswordsAndARemovedClientFileRotatesThatPassword()
            throws Exception {
        TopicCatalogue topics = TopicCatalogue.defaults();
        String metrics = topics.name(LogicalTopic.METRICS);
        KafkaClientSettings rewardBefore;
        String caBefore;
        try (LocalKafka first = LocalKafka.startSecure(data, LocalKafka.ANY_PORT, topics);
                KafkaProducer<String, String> trainer = SecuredClients.producer(
                        first.clientSettings(PipelineClient.TRAINER_SERVICE),
                        SecuredClients.WAIT)) {
            SecuredClients.write(trainer, metrics);
            rewardBefore = first.clientSettings(PipelineClient.REWARD_SERVICE);
            caBefore = Files.readString(first.caCertificate().orElseThrow());
        }
        String trainerJaas = jaas(KafkaClientSettings.load(first(PipelineClient.TRAINER_SERVICE)));
        Files.delete(first(PipelineClient.REWARD_SERVICE));

        try (LocalKafka second = LocalKafka.startSecure(data, LocalKafka.ANY_PORT, topics)) {
            assertThat(Files.readString(second.caCertificate().orElseThrow()))
                    .isEqualTo(caBefore);
            assertThat(jaas(second.clientSettings(PipelineClient.TRAINER_SERVICE)))
                    .isEqualTo(trainerJaas);
            assertThat(read(second.clientSettings(PipelineClient.OBSERVER), metrics))
                    .hasSize(1);
            KafkaClientSettings rewardAfter = second.clientSettings(PipelineClient.REWARD_SERVICE);
            assertThat(jaas(rewardAfter)).isNotEqualTo(jaas(rewardBefore));
            KafkaClientSettings oldPassword = rewardBefore.with(
                    CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, second.bootstrapServers());
            try (KafkaProducer<String, String> stale = SecuredClients.producer(oldPassword,
                    Duration.ofSeconds(5));
                    KafkaProducer<String, String> rotated = SecuredClients.producer(rewardAfter,
                            SecuredClients.WAIT)) {
                assertThatThrownBy(() -> SecuredClients.write(stale,
                        topics.name(LogicalTopic.SCORED)))
                        .hasCauseInstanceOf(SaslAuthenticationException.class);
                SecuredClients.write(rotated, topics.name(LogicalTopic.SCORED));
            }
        }
    }

    private Path first(PipelineClient client) {
        return ClientFiles.propertiesFile(data, client);
    }

    private static String jaas(KafkaClientSettings settings) {
        return settings.asMap().get(SaslConfigs.SASL_JAAS_CONFIG).toString();
    }

    private static List<ConsumerRecord<String, String>> read(KafkaClientSettings settings,
            String topic) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = SecuredClients.consumer(settings, null)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + SecuredClients.WAIT.toNanos();
            while (records.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
