package ai.collectiveagency.prompts.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.kafka.LocalKafka;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import ai.collectiveagency.prompts.combinatorial.CombinatorialConfig;
import ai.collectiveagency.prompts.combinatorial.CombinatorialSource;
import ai.collectiveagency.prompts.seeds.SeedLists;
import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.schemas.SchemaHistory;
import ai.collectiveagency.schemas.kafka.PromptTaskSerializer;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.SchemaStore;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * A rolling upgrade on the real broker: a producer on the current PromptTask schema writes, and a
 * consumer that only knows v1 (the first released version) reads what it knows of the record.
 */
class OlderSchemaReaderTest {

    private static final Schema V1 = SchemaHistory.versions("PromptTask").get(0);

    @Test
    void consumerOfV1ReadsATaskWrittenWithTheCurrentSchema() throws Exception {
        PromptTask task = new CombinatorialSource(SeedLists.shipped(),
                CombinatorialConfig.defaults(3, Instant.parse("2026-01-02T03:04:05Z"))).task(0);
        try (LocalKafka kafka = LocalKafka.startTemporary()) {
            String topic = TopicCatalogue.defaults().name(LogicalTopic.PROMPTS);
            try (KafkaProducer<String, PromptTask> producer = new KafkaProducer<>(
                    producerProps(kafka), new StringSerializer(), new PromptTaskSerializer())) {
                producer.send(new ProducerRecord<>(topic, task.getTaskId(), task)).get();
            }

            List<ConsumerRecord<String, byte[]>> records = consume(kafka, topic);

            assertThat(records).hasSize(1);
            GenericRecord read = decodeAsV1(records.get(0).value());
            assertThat(read.getSchema()).isEqualTo(V1);
            assertThat(read.hasField("language")).isFalse();
            assertThat(read.get("task_id")).hasToString(task.getTaskId());
            assertThat(read.get("mode")).hasToString(task.getMode().name());
            assertThat(((GenericRecord) read.get("scenario")).get("description"))
                    .hasToString(task.getScenario().getDescription());
            assertThat(((GenericRecord) read.get("persona_a")).get("values"))
                    .asString().contains(task.getPersonaA().getValues().get(0));
        }
    }

    /** A v1 reader resolves a record by the writer schema the fingerprint names. */
    private static GenericRecord decodeAsV1(byte[] bytes) throws IOException {
        SchemaStore.Cache writers = new SchemaStore.Cache();
        writers.addSchema(PromptTask.getClassSchema());
        return new BinaryMessageDecoder<GenericRecord>(GenericData.get(), V1, writers)
                .decode(bytes);
    }

    private static Properties producerProps(LocalKafka kafka) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return props;
    }

    private static List<ConsumerRecord<String, byte[]>> consume(LocalKafka kafka, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "v1-reader");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
