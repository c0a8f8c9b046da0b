package ai.collectiveagency.schemas.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.schemas.Samples;
import ai.collectiveagency.schemas.SchemaHistory;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.SchemaStore;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The serdes with a schema registry (a real HTTP server speaking the Confluent-compatible API). */
class SchemaRegistryTest {

  private static final String TOPIC = TopicCatalogue.defaults().name(LogicalTopic.PROMPTS);

  private RegistryServer registry;

  @BeforeEach
  void start() throws Exception {
    registry = new RegistryServer();
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  private Map<String, String> config() {
    return Map.of("schema.registry.url", registry.url());
  }

  @Test
  void withARegistryRecordsAreFramedByTheRegisteredIdAndReadBack() {
    PromptTaskSerializer serializer = new PromptTaskSerializer();
    serializer.configure(config(), false);
    PromptTaskDeserializer deserializer = new PromptTaskDeserializer();
    deserializer.configure(config(), false);
    PromptTask task = Samples.promptTask();

    byte[] bytes = serializer.serialize(TOPIC, task);

    assertThat(bytes[0]).isEqualTo((byte) 0);
    assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(1);
    assertThat(registry.subjects()).containsExactly(TOPIC + "-value");
    assertThat(deserializer.deserialize(TOPIC, bytes)).isEqualTo(task);
    serializer.serialize(TOPIC, task);
    assertThat(registry.subjects()).as("the id is cached").hasSize(1);
  }

  @Test
  void aRegistryReaderStillReadsSingleObjectRecordsSoATopicCanMoveOver() {
    PromptTaskDeserializer deserializer = new PromptTaskDeserializer();
    deserializer.configure(config(), false);
    PromptTask task = Samples.promptTask();

    assertThat(deserializer.deserialize(TOPIC, new PromptTaskSerializer().serialize(TOPIC, task)))
        .isEqualTo(task);
  }

  @Test
  void anOlderWriterSchemaFromTheRegistryIsResolvedWithDefaults() throws Exception {
    Schema v1 = SchemaHistory.versions("PromptTask").get(0);
    PromptTask task = Samples.promptTask();
    SchemaStore.Cache writers = new SchemaStore.Cache();
    writers.addSchema(PromptTask.getClassSchema());
    GenericRecord old = new BinaryMessageDecoder<GenericRecord>(GenericData.get(), v1, writers)
        .decode(new PromptTaskSerializer().serialize(TOPIC, task));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SchemaRegistryClient client = new SchemaRegistryClient(registry.url());
    out.write(0);
    out.writeBytes(ByteBuffer.allocate(4).putInt(client.register(TOPIC + "-value", v1))
        .array());
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(v1).write(old, encoder);
    encoder.flush();
    PromptTaskDeserializer deserializer = new PromptTaskDeserializer();
    deserializer.configure(config(), false);

    PromptTask read = deserializer.deserialize(TOPIC, out.toByteArray());

    assertThat(read.getTaskId()).isEqualTo(task.getTaskId());
    assertThat(read.getLanguage()).isEqualTo("en");
    assertThat(read.getTags()).isEqualTo(List.of());
  }

  @Test
  void aFramedRecordWithoutARegistryConfiguredFailsSayingSo() {
    PromptTaskSerializer serializer = new PromptTaskSerializer();
    serializer.configure(config(), false);
    byte[] framed = serializer.serialize(TOPIC, Samples.promptTask());

    assertThatThrownBy(() -> new PromptTaskDeserializer().deserialize(TOPIC, framed))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("framed with schema registry id 1")
        .hasMessageContaining("schema.registry.url");
  }

  @Test
  void anIdTheRegistryDoesNotKnowFailsNamingIt() {
    PromptTaskDeserializer deserializer = new PromptTaskDeserializer();
    deserializer.configure(config(), false);
    byte[] unknown = {0, 0, 0, 0, 42, 1, 2, 3};

    assertThatThrownBy(() -> deserializer.deserialize(TOPIC, unknown))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("fetch schema id 42").hasMessageContaining("404");
  }

  @Test
  void basicAuthUserInfoIsSentToARegistryThatWantsIt() throws Exception {
    try (RegistryServer secured = new RegistryServer(Optional.of("serde:s3cret"))) {
      PromptTaskSerializer serializer = new PromptTaskSerializer();
      serializer.configure(Map.of("schema.registry.url", secured.url(),
          "basic.auth.credentials.source", "USER_INFO",
          "basic.auth.user.info", "serde:s3cret"), false);
      PromptTaskSerializer anonymous = new PromptTaskSerializer();
      anonymous.configure(Map.of("schema.registry.url", secured.url()), false);

      serializer.serialize(TOPIC, Samples.promptTask());

      assertThat(secured.subjects()).containsExactly(TOPIC + "-value");
      assertThatThrownBy(() -> anonymous.serialize(TOPIC, Samples.promptTask()))
          .isInstanceOf(SerializationException.class).hasMessageContaining("HTTP 401");
    }
  }

  @Test
  void userInfoInTheUrlIsSentAsBasicAuthAndLeftOutOfTheRequestUrl() throws Exception {
    try (RegistryServer secured = new RegistryServer(Optional.of("serde:s3cret"))) {
      PromptTaskSerializer serializer = new PromptTaskSerializer();
      serializer.configure(Map.of("schema.registry.url",
          secured.url().replace("http://", "http://serde:s3cret@"),
          "basic.auth.credentials.source", "URL"), false);

      serializer.serialize(TOPIC, Samples.promptTask());

      assertThat(secured.subjects()).containsExactly(TOPIC + "-value");
    }
  }

  @Test
  void credentialsOverPlainHttpToAHostOtherThanLoopbackAreRefused() {
    PromptTaskSerializer serializer = new PromptTaskSerializer();

    assertThatThrownBy(() -> serializer.configure(Map.of(
        "schema.registry.url", "http://registry.example.com:8081",
        "basic.auth.user.info", "serde:s3cret"), false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.url").hasMessageContaining("clear text")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void anUnknownCredentialsSourceIsRefusedNamingTheKey() {
    assertThatThrownBy(() -> new PromptTaskDeserializer().configure(Map.of(
        "schema.registry.url", "https://registry.example.com",
        "basic.auth.credentials.source", "SASL_INHERIT"), false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("basic.auth.credentials.source");
  }
}
