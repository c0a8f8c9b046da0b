package ai.collectiveagency.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.schemas.kafka.PromptTaskDeserializer;
import ai.collectiveagency.schemas.kafka.PromptTaskSerializer;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.junit.jupiter.api.Test;

/** A v1 service and a v2 service read each other's PromptTasks. */
class PromptTaskEvolutionTest {

  private static final String TOPIC = TopicCatalogue.defaults().name(LogicalTopic.PROMPTS);
  private static final Schema V1 = SchemaHistory.versions("PromptTask").get(0);

  @Test
  void v1ReaderReadsARecordWrittenWithTheCurrentSchema() throws IOException {
    PromptTask task = Samples.promptTask();

    GenericRecord read = readAsV1(new PromptTaskSerializer().serialize(TOPIC, task));

    assertThat(read.getSchema()).isEqualTo(V1);
    assertThat(read.get("task_id")).hasToString(task.getTaskId());
    assertThat(read.get("seed")).isEqualTo(task.getSeed());
    assertThat(read.get("created_at")).isEqualTo(Samples.AT.toEpochMilli());
    assertThat(((GenericRecord) read.get("persona_b")).get("name")).hasToString("Ben");
    assertThat(read.hasField("language")).isFalse();
  }

  @Test
  void v1RecordIsReadIntoTheCurrentClassWithDefaults() throws IOException {
    PromptTask task = Samples.promptTask();
    GenericRecord v1 = readAsV1(new PromptTaskSerializer().serialize(TOPIC, task));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new BinaryMessageEncoder<GenericRecord>(GenericData.get(), V1).encode(v1, out);

    PromptTask read = new PromptTaskDeserializer().deserialize(TOPIC, out.toByteArray());

    assertThat(read.getLanguage()).isEqualTo("en");
    assertThat(read.getTags()).isEmpty();
    task.setLanguage("en");
    task.setTags(List.of());
    assertThat(read).isEqualTo(task);
  }

  private static GenericRecord readAsV1(byte[] bytes) throws IOException {
    SchemaStore.Cache writers = new SchemaStore.Cache();
    writers.addSchema(PromptTask.getClassSchema());
    return new BinaryMessageDecoder<GenericRecord>(GenericData.get(), V1, writers).decode(bytes);
  }
}
