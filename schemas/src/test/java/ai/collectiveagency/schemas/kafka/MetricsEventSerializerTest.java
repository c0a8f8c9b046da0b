package ai.collectiveagency.schemas.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.collectiveagency.schemas.Samples;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class MetricsEventSerializerTest {

  private static final String TOPIC = TopicCatalogue.defaults().name(LogicalTopic.METRICS);

  private final Serde<SpecificRecord> metrics = EventSerdes.metricsEvents();

  @Test
  void writesEachTypeAsItsOwnSerializerDoesSoEitherReaderReadsIt() {
    byte[] step = metrics.serializer().serialize(TOPIC, Samples.trainingMetrics());
    byte[] eval = metrics.serializer().serialize(TOPIC, Samples.evalResult());

    assertThat(step).isEqualTo(EventSerdes.trainingMetrics().serializer()
        .serialize(TOPIC, Samples.trainingMetrics()));
    assertThat(eval).isEqualTo(EventSerdes.evalResult().serializer()
        .serialize(TOPIC, Samples.evalResult()));
    assertThat(metrics.deserializer().deserialize(TOPIC, step))
        .isEqualTo(Samples.trainingMetrics());
    assertThat(metrics.deserializer().deserialize(TOPIC, eval)).isEqualTo(Samples.evalResult());
  }

  @Test
  void aRecordOfAnotherTypeIsRefusedNamingIt() {
    assertThatThrownBy(() -> metrics.serializer().serialize(TOPIC, Samples.promptTask()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("neither TrainingMetrics nor EvalResult")
        .hasMessageContaining("PromptTask");
  }

  @Test
  void nullStaysNull() {
    assertThat(metrics.serializer().serialize(TOPIC, null)).isNull();
  }
}
