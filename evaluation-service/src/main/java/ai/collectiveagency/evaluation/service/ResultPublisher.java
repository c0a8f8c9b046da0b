package ai.collectiveagency.evaluation.service;

import ai.collectiveagency.schemas.EvalResult;
import ai.collectiveagency.schemas.kafka.KafkaClientSettings;
import ai.collectiveagency.schemas.kafka.MetricsEventSerializer;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.avro.specific.SpecificRecord;

/**
 * Sends results to the metrics topic (idempotent, acknowledged by every in-sync replica), keyed
 * {@code v<version>}, and waits until all of them are written.
 */
final class ResultPublisher implements AutoCloseable {

    private final KafkaProducer<String, SpecificRecord> producer;
    private final String topic;

    ResultPublisher(KafkaClientSettings kafka, String topic) {
        Map<String, Object> props = kafka.producer("evaluation-metrics");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicCatalogue.SMALL_MAX_MESSAGE_BYTES);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        MetricsEventSerializer serializer = new MetricsEventSerializer();
        serializer.configure(kafka.asMap(), false);
        this.producer = new KafkaProducer<>(props, new StringSerializer(), serializer);
        this.topic = topic;
    }

    void publish(List<EvalResult> results) {
        List<Future<RecordMetadata>> sent = results.stream().map(result -> producer.send(
                new ProducerRecord<String, SpecificRecord>(topic,
                        "v" + result.getPolicyVersion(), result))).toList();
        try {
            for (Future<RecordMetadata> future : sent) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing results", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("results not written to " + topic + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
