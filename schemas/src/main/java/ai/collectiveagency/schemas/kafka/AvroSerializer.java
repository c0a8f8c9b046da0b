package ai.collectiveagency.schemas.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.function.Consumer;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serializer that writes a generated Avro record in Avro's single-object encoding: a
 * 10-byte header ({@code C3 01} and the 8-byte CRC-64-AVRO fingerprint of the writer schema,
 * little-endian) followed by the binary record. Readers tell writer versions apart by the
 * fingerprint, so no schema registry is needed.
 *
 * <p>The record's invariants are checked before it leaves the producer; a violation is a
 * {@link SerializationException} naming its path. {@code null} serializes to {@code null}
 * (a tombstone). Thread-safe.
 *
 * @param <T> the generated record type
 */
public class AvroSerializer<T> implements Serializer<T> {

  private final BinaryMessageEncoder<T> encoder;
  private final Consumer<? super T> validator;

  /**
   * @param encoder the generated class's {@code getEncoder()}
   * @param validator checks invariants, throwing {@link IllegalArgumentException}
   */
  public AvroSerializer(BinaryMessageEncoder<T> encoder, Consumer<? super T> validator) {
    this.encoder = encoder;
    this.validator = validator;
  }

  @Override
  public byte[] serialize(String topic, T data) {
    if (data == null) {
      return null;
    }
    try {
      validator.accept(data);
    } catch (IllegalArgumentException e) {
      throw new SerializationException(
          "invalid " + data.getClass().getSimpleName() + " for topic " + topic + ": "
              + e.getMessage(), e);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try {
      encoder.encode(data, out);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "cannot encode " + data.getClass().getSimpleName() + " for topic " + topic, e);
    }
    return out.toByteArray();
  }
}
