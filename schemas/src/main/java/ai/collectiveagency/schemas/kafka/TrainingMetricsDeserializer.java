package ai.collectiveagency.schemas.kafka;

import ai.collectiveagency.schemas.TrainingMetrics;

/**
 * Deserializer of {@link TrainingMetrics} (the {@code metrics} topic) that reads every released
 * version; no-arg, so it can be named in {@code value.deserializer}.
 */
public class TrainingMetricsDeserializer extends AvroDeserializer<TrainingMetrics> {

  /** A deserializer that knows every version in {@code schema-history/TrainingMetrics/}. */
  public TrainingMetricsDeserializer() {
    super(TrainingMetrics.getClassSchema(), TrainingMetrics::createDecoder, record -> { });
  }
}
