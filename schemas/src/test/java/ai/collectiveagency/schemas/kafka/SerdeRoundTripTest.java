package ai.collectiveagency.schemas.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.schemas.Samples;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.stream.Stream;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SerdeRoundTripTest {

  /** Not a pipeline topic: the serdes name the topic only in their errors. */
  private static final String TOPIC = "serde-round-trip";

  static Stream<Arguments> everyEventType() {
    return Stream.of(
        Arguments.of(EventSerdes.promptTask(), Samples.promptTask()),
        Arguments.of(EventSerdes.rolloutGroup(), Samples.rolloutGroup()),
        Arguments.of(EventSerdes.scoredGroup(), Samples.scoredGroup()),
        Arguments.of(EventSerdes.policyCheckpoint(), Samples.policyCheckpoint()),
        Arguments.of(EventSerdes.trainingMetrics(), Samples.trainingMetrics()),
        Arguments.of(EventSerdes.evalResult(), Samples.evalResult()));
  }

  @ParameterizedTest
  @MethodSource("everyEventType")
  <T extends SpecificRecord> void recordSurvivesItsSerde(Serde<T> serde, T record) {
    byte[] bytes = serde.serializer().serialize(TOPIC, record);

    assertThat(serde.deserializer().deserialize(TOPIC, bytes)).isEqualTo(record);
  }

  @ParameterizedTest
  @MethodSource("everyEventType")
  <T extends SpecificRecord> void headerCarriesTheWriterSchemaFingerprint(
      Serde<T> serde, T record) {
    byte[] bytes = serde.serializer().serialize(TOPIC, record);
    long expected = SchemaNormalization.parsingFingerprint64(record.getSchema());

    assertThat(Arrays.copyOf(bytes, 2)).containsExactly(0xC3, 0x01);
    assertThat(ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong())
        .isEqualTo(expected);
  }

  @ParameterizedTest
  @MethodSource("everyEventType")
  <T extends SpecificRecord> void nullIsATombstoneBothWays(Serde<T> serde, T record) {
    assertThat(serde.serializer().serialize(TOPIC, null)).isNull();
    assertThat(serde.deserializer().deserialize(TOPIC, null)).isNull();
  }

  @Test
  void perTypeClassesAreNamedInKafkaConfigWithNoArguments() throws Exception {
    Object serializer = Class.forName(PromptTaskSerializer.class.getName())
        .getConstructor().newInstance();
    Object deserializer = Class.forName(PromptTaskDeserializer.class.getName())
        .getConstructor().newInstance();

    assertThat(serializer).isInstanceOf(org.apache.kafka.common.serialization.Serializer.class);
    assertThat(deserializer)
        .isInstanceOf(org.apache.kafka.common.serialization.Deserializer.class);
  }
}
