package ai.collectiveagency.schemas.kafka;

import ai.collectiveagency.schemas.SchemaHistory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka deserializer for Avro's single-object encoding (see {@link AvroSerializer}).
 *
 * <p>It knows every released version of its record from {@link SchemaHistory} and resolves a
 * record written with any of them (older or newer than the reader) into the generated class,
 * filling defaults. A fingerprint it does not know fails with {@link UnknownSchemaException};
 * bytes that are not single-object encoded, are truncated, or break the record's invariants
 * fail with a {@link SerializationException} naming the record type, so a consumer can send the
 * record to the DLQ. {@code null} deserializes to {@code null}. Thread-safe.
 *
 * <p>With {@code schema.registry.url} set it also reads records framed by a Confluent-compatible
 * schema registry (see {@link AvroSerializer}): the writer schema comes from the registry by id
 * and is resolved against this reader's, so a topic may carry both framings while a deployment
 * moves to a registry. Without it such a record fails with a message saying so.
 *
 * @param <T> the generated record type
 */
public class AvroDeserializer<T> implements Deserializer<T> {

  /** Length of the single-object header: 2 marker bytes and an 8-byte fingerprint. */
  static final int HEADER_LENGTH = 10;

  private final String recordName;
  private final Schema readerSchema;
  private final BinaryMessageDecoder<T> decoder;
  private final Consumer<? super T> validator;
  private SchemaRegistryClient registry;

  /**
   * @param readerSchema the generated class's {@code getClassSchema()}
   * @param decoderFactory the generated class's {@code createDecoder(SchemaStore)}
   * @param validator checks invariants, throwing {@link IllegalArgumentException}
   */
  public AvroDeserializer(Schema readerSchema,
      Function<SchemaStore, BinaryMessageDecoder<T>> decoderFactory,
      Consumer<? super T> validator) {
    this.recordName = readerSchema.getName();
    this.readerSchema = readerSchema;
    this.decoder = decoderFactory.apply(SchemaHistory.store(recordName));
    this.validator = validator;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    registry = SchemaRegistryClient.configured(configs).orElse(null);
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    T record = RegistryFraming.isFramed(data) ? decodeFramed(topic, data) : decode(topic, data);
    try {
      validator.accept(record);
    } catch (IllegalArgumentException e) {
      throw new SerializationException(
          "invalid " + recordName + " on topic " + topic + ": " + e.getMessage(), e);
    }
    return record;
  }

  private T decode(String topic, byte[] data) {
    try {
      return decoder.decode(data);
    } catch (MissingSchemaException e) {
      throw new UnknownSchemaException(recordName, fingerprint(data), e);
    } catch (BadHeaderException e) {
      throw new SerializationException(
          "not a single-object encoded " + recordName + " on topic " + topic + ": "
              + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      // Garbage after a known header fails anywhere in Avro's decoder: EOF, negative
      // lengths, enum indexes out of range, limits on sizes.
      throw new SerializationException(
          "corrupt " + recordName + " body on topic " + topic + " (" + data.length + " bytes)", e);
    }
  }

  private T decodeFramed(String topic, byte[] data) {
    int id = ByteBuffer.wrap(data, 1, 4).getInt();
    if (registry == null) {
      throw new SerializationException("a " + recordName + " on topic " + topic
          + " framed with schema registry id " + id + ", but no "
          + SchemaRegistryClient.URL_CONFIG + " is configured");
    }
    Schema writer = registry.schema(id);
    try {
      BinaryDecoder body = DecoderFactory.get().binaryDecoder(data, RegistryFraming.HEADER_LENGTH,
          data.length - RegistryFraming.HEADER_LENGTH, null);
      return new SpecificDatumReader<T>(writer, readerSchema).read(null, body);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("corrupt " + recordName + " body (registry id " + id
          + ") on topic " + topic + " (" + data.length + " bytes)", e);
    }
  }

  private static long fingerprint(byte[] data) {
    return ByteBuffer.wrap(data, 2, HEADER_LENGTH - 2).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }
}
