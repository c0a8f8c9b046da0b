package ai.collectiveagency.schemas.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.collectiveagency.schemas.Samples;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class MetricsEventDeserializerTest {

  private static final String TOPIC = TopicCatalogue.defaults().name(LogicalTopic.METRICS);

  private final MetricsEventDeserializer metrics = new MetricsEventDeserializer();

  @Test
  void readsStepMetricsAndEvaluationsFromTheSameTopic() {
    byte[] step = EventSerdes.trainingMetrics().serializer()
        .serialize(TOPIC, Samples.trainingMetrics());
    byte[] eval = EventSerdes.evalResult().serializer().serialize(TOPIC, Samples.evalResult());

    assertThat(metrics.deserialize(TOPIC, step)).isEqualTo(Samples.trainingMetrics());
    assertThat(metrics.deserialize(TOPIC, eval)).isEqualTo(Samples.evalResult());
  }

  @Test
  void aRecordOfAnotherTypeFailsNamingBothTypes() {
    byte[] task = EventSerdes.promptTask().serializer().serialize(TOPIC, Samples.promptTask());

    assertThatThrownBy(() -> metrics.deserialize(TOPIC, task))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("neither TrainingMetrics nor EvalResult");
  }
}
