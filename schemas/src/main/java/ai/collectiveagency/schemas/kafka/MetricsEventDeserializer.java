package ai.collectiveagency.schemas.kafka;

import ai.collectiveagency.schemas.EvalResult;
import ai.collectiveagency.schemas.TrainingMetrics;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Deserializer of the {@code metrics} topic, which carries two record types: a
 * {@link TrainingMetrics} per trainer step and an {@link EvalResult} per evaluation. Each record
 * is read as the first type whose schema history knows it (single-object encoding) or whose
 * schema its registry writer schema resolves to; callers switch on the returned type. A record
 * neither type can read fails with both reasons. Thread-safe.
 */
public class MetricsEventDeserializer implements Deserializer<SpecificRecord> {

  private final List<Deserializer<? extends SpecificRecord>> types =
      List.of(new TrainingMetricsDeserializer(), new EvalResultDeserializer());

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    types.forEach(type -> type.configure(configs, isKey));
  }

  @Override
  public SpecificRecord deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    StringBuilder reasons = new StringBuilder();
    for (Deserializer<? extends SpecificRecord> type : types) {
      try {
        return type.deserialize(topic, data);
      } catch (SerializationException e) {
        reasons.append(reasons.isEmpty() ? "" : "; ").append(e.getMessage());
      }
    }
    throw new SerializationException("neither TrainingMetrics nor EvalResult on topic " + topic
        + ": " + reasons);
  }
}
