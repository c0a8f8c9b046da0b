package ai.collectiveagency.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.collectiveagency.schemas.kafka.RolloutGroupDeserializer;
import ai.collectiveagency.schemas.kafka.RolloutGroupSerializer;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.junit.jupiter.api.Test;

/**
 * Version 2 added the THOUGHTS_A / THOUGHTS_B segments. A v1 reader still reads every group that
 * holds no thoughts (all groups while {@code rollout.reasoning=off}) and refuses one that does,
 * instead of taking private thoughts for something else; v1 groups read into the current class.
 */
class RolloutGroupEvolutionTest {

  private static final String TOPIC = TopicCatalogue.defaults().name(LogicalTopic.ROLLOUTS);
  private static final Schema V1 = SchemaHistory.versions("RolloutGroup").get(0);

  @Test
  void v1ReaderReadsAGroupWithoutThoughts() throws IOException {
    RolloutGroup group = Samples.rolloutGroup();

    GenericRecord read = readAsV1(new RolloutGroupSerializer().serialize(TOPIC, group));

    GenericRecord turn = (GenericRecord) ((List<?>) ((GenericRecord) ((List<?>) read
        .get("trajectories")).get(0)).get("turns")).get(0);
    assertThat(turn.get("segment")).hasToString("PERSONA_A");
  }

  @Test
  void v1ReaderRefusesAGroupWithThoughtsNamingTheSymbol() {
    RolloutGroup group = Samples.rolloutGroup(Samples.trajectory("t-0",
        Samples.turn(Segment.PERSONA_A, List.of(7), List.of(-0.5f)),
        Samples.turn(Segment.THOUGHTS_B, List.of(5, 6), List.of(-1f, -2f)),
        Samples.turn(Segment.PERSONA_B, List.of(8), List.of(-0.25f))));
    byte[] bytes = new RolloutGroupSerializer().serialize(TOPIC, group);

    assertThatThrownBy(() -> readAsV1(bytes)).isInstanceOf(AvroTypeException.class)
        .hasMessageContaining("THOUGHTS_B");
  }

  @Test
  void v1GroupIsReadIntoTheCurrentClass() throws IOException {
    RolloutGroup group = Samples.rolloutGroup();
    GenericRecord v1 = readAsV1(new RolloutGroupSerializer().serialize(TOPIC, group));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new BinaryMessageEncoder<GenericRecord>(GenericData.get(), V1).encode(v1, out);

    RolloutGroup read = new RolloutGroupDeserializer().deserialize(TOPIC, out.toByteArray());

    assertThat(read).isEqualTo(group);
  }

  private static GenericRecord readAsV1(byte[] bytes) throws IOException {
    SchemaStore.Cache writers = new SchemaStore.Cache();
    writers.addSchema(RolloutGroup.getClassSchema());
    return new BinaryMessageDecoder<GenericRecord>(GenericData.get(), V1, writers).decode(bytes);
  }
}
