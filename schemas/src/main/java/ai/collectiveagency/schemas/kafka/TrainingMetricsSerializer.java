package ai.collectiveagency.schemas.kafka;

import ai.collectiveagency.schemas.TrainingMetrics;

/**
 * Serializer of {@link TrainingMetrics} (the {@code metrics} topic); no-arg, so it can be named
 * in {@code value.serializer}.
 */
public class TrainingMetricsSerializer extends AvroSerializer<TrainingMetrics> {

  /** A serializer using the generated class's encoder. */
  public TrainingMetricsSerializer() {
    super(TrainingMetrics.getEncoder(), record -> { });
  }
}
