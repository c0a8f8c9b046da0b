package ai.collectiveagency.schemas.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.collectiveagency.schemas.RolloutGroup;
import ai.collectiveagency.schemas.Samples;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class DeserializerFailureTest {

  private static final String TOPIC = TopicCatalogue.defaults().name(LogicalTopic.PROMPTS);
  private static final String ROLLOUTS = TopicCatalogue.defaults().name(LogicalTopic.ROLLOUTS);

  private final byte[] valid = new PromptTaskSerializer().serialize(TOPIC, Samples.promptTask());

  @Test
  void unknownFingerprintIsRefusedNamingItAndTheRecordType() {
    byte[] bytes = valid.clone();
    ByteBuffer.wrap(bytes, 2, 8).putLong(0x0123456789abcdefL);

    assertThatThrownBy(() -> new PromptTaskDeserializer().deserialize(TOPIC, bytes))
        .isInstanceOf(UnknownSchemaException.class)
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("efcdab8967452301")
        .hasMessageContaining("PromptTask")
        .satisfies(e -> assertThat(((UnknownSchemaException) e).fingerprint())
            .isEqualTo(0xefcdab8967452301L));
  }

  @Test
  void garbageBytesAreRefusedAsNotSingleObjectEncoded() {
    byte[] garbage = "not avro at all".getBytes();

    assertThatThrownBy(() -> new PromptTaskDeserializer().deserialize(TOPIC, garbage))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("not a single-object encoded PromptTask on topic " + TOPIC);
  }

  @Test
  void truncatedBodyIsRefusedAsCorrupt() {
    byte[] truncated = Arrays.copyOf(valid, valid.length / 2);

    assertThatThrownBy(() -> new PromptTaskDeserializer().deserialize(TOPIC, truncated))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("corrupt PromptTask body");
  }

  @Test
  void serializerRefusesAGroupThatBreaksItsInvariant() {
    RolloutGroup broken = Samples.rolloutGroup();
    broken.getTrajectories().get(1).getTurns().get(0).setCompletionLogprobs(List.of());

    assertThatThrownBy(() -> new RolloutGroupSerializer().serialize(ROLLOUTS, broken))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("trajectories[1].turns[0]: 2 completion ids but 0 log-probs");
  }

  @Test
  void deserializerRefusesAGroupThatBreaksItsInvariant() throws IOException {
    RolloutGroup broken = Samples.rolloutGroup();
    broken.getTrajectories().get(0).getTurns().get(1).setCompletionTokenIds(List.of());
    byte[] bytes = RolloutGroup.getEncoder().encode(broken).array();

    RolloutGroupDeserializer deserializer = new RolloutGroupDeserializer();

    assertThatThrownBy(() -> deserializer.deserialize(ROLLOUTS, bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("trajectories[0].turns[1]: 0 completion ids but 1 log-probs");
  }

  @Test
  void readerOfOneTypeRefusesAnotherType() {
    assertThatThrownBy(() -> new RolloutGroupDeserializer().deserialize(TOPIC, valid))
        .isInstanceOf(UnknownSchemaException.class)
        .hasMessageContaining("RolloutGroup");
  }
}
