package ai.collectiveagency.schemas.kafka;

import ai.collectiveagency.schemas.SchemaHistory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.message.SchemaStore;
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
 * @param <T> the generated record type
 */
public class AvroDeserializer<T> implements Deserializer<T> {

  /** Length of the single-object header: 2 marker bytes and an 8-byte fingerprint. */
  static final int HEADER_LENGTH = 10;

  private final String recordName;
  private final BinaryMessageDecoder<T> decoder;
  private final Consumer<? super T> validator;

  /**
   * @param readerSchema the generated class's {@code getClassSchema()}
   * @param decoderFactory the generated class's {@code createDecoder(SchemaStore)}
   * @param validator checks invariants, throwing {@link IllegalArgumentException}
   */
  public AvroDeserializer(Schema readerSchema,
      Function<SchemaStore, BinaryMessageDecoder<T>> decoderFactory,
      Consumer<? super T> validator) {
    this.recordName = readerSchema.getName();
    this.decoder = decoderFactory.apply(SchemaHistory.store(recordName));
    this.validator = validator;
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    T record = decode(topic, data);
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

  private static long fingerprint(byte[] data) {
    return ByteBuffer.wrap(data, 2, HEADER_LENGTH - 2).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }
}
