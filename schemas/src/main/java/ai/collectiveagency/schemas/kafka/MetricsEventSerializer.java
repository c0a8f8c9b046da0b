package ai.collectiveagency.schemas.kafka;

import ai.collectiveagency.schemas.EvalResult;
import ai.collectiveagency.schemas.TrainingMetrics;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serializer of the {@code metrics} topic, the writing side of {@link MetricsEventDeserializer}:
 * one producer sends both a {@link TrainingMetrics} per trainer step and an {@link EvalResult}
 * per evaluation, each written by its own type's serializer. Any other record fails with a
 * {@link SerializationException} naming its type. No-arg, so it can be named in
 * {@code value.serializer}. Thread-safe.
 */
public class MetricsEventSerializer implements Serializer<SpecificRecord> {

  private final TrainingMetricsSerializer steps = new TrainingMetricsSerializer();
  private final EvalResultSerializer evaluations = new EvalResultSerializer();

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    steps.configure(configs, isKey);
    evaluations.configure(configs, isKey);
  }

  @Override
  public byte[] serialize(String topic, SpecificRecord data) {
    if (data == null) {
      return null;
    }
    if (data instanceof TrainingMetrics step) {
      return steps.serialize(topic, step);
    }
    if (data instanceof EvalResult evaluation) {
      return evaluations.serialize(topic, evaluation);
    }
    throw new SerializationException("neither TrainingMetrics nor EvalResult for topic " + topic
        + ": " + data.getClass().getName());
  }
}
