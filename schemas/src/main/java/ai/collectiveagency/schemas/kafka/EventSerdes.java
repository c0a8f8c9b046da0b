package ai.collectiveagency.schemas.kafka;

import ai.collectiveagency.schemas.EvalResult;
import ai.collectiveagency.schemas.PolicyCheckpoint;
import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.schemas.RolloutGroup;
import ai.collectiveagency.schemas.ScoredGroup;
import ai.collectiveagency.schemas.TrainingMetrics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * One Kafka {@link Serde} per event type, for plain Kafka clients and Kafka Streams.
 *
 * <pre>{@code
 * new KafkaProducer<>(props, new StringSerializer(), EventSerdes.promptTask().serializer());
 * }</pre>
 *
 * SmallRye Reactive Messaging names the per-type classes instead, e.g.
 * {@code mp.messaging.incoming.prompts.value.deserializer=
 * ai.collectiveagency.schemas.kafka.PromptTaskDeserializer}.
 */
public final class EventSerdes {

  private EventSerdes() {}

  /** @return a serde for {@link PromptTask} values of the {@code prompts} topic */
  public static Serde<PromptTask> promptTask() {
    return Serdes.serdeFrom(new PromptTaskSerializer(), new PromptTaskDeserializer());
  }

  /** @return a serde for {@link RolloutGroup} values of the {@code rollouts} topic */
  public static Serde<RolloutGroup> rolloutGroup() {
    return Serdes.serdeFrom(new RolloutGroupSerializer(), new RolloutGroupDeserializer());
  }

  /** @return a serde for {@link ScoredGroup} values of the {@code scored} topic */
  public static Serde<ScoredGroup> scoredGroup() {
    return Serdes.serdeFrom(new ScoredGroupSerializer(), new ScoredGroupDeserializer());
  }

  /** @return a serde for {@link PolicyCheckpoint} values of the {@code checkpoints} topic */
  public static Serde<PolicyCheckpoint> policyCheckpoint() {
    return Serdes.serdeFrom(new PolicyCheckpointSerializer(), new PolicyCheckpointDeserializer());
  }

  /** @return a serde for {@link TrainingMetrics} values of the {@code metrics} topic */
  public static Serde<TrainingMetrics> trainingMetrics() {
    return Serdes.serdeFrom(new TrainingMetricsSerializer(), new TrainingMetricsDeserializer());
  }

  /** @return a serde for {@link EvalResult} values of the {@code metrics} topic */
  public static Serde<EvalResult> evalResult() {
    return Serdes.serdeFrom(new EvalResultSerializer(), new EvalResultDeserializer());
  }

  /**
   * @return a serde for both record types of the {@code metrics} topic ({@link TrainingMetrics}
   *     and {@link EvalResult}), for a producer that sends both and a reader that meets both
   */
  public static Serde<SpecificRecord> metricsEvents() {
    return Serdes.serdeFrom(new MetricsEventSerializer(), new MetricsEventDeserializer());
  }
}
