package ai.collectiveagency.schemas.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serializer that writes a generated Avro record in Avro's single-object encoding: a
 * 10-byte header ({@code C3 01} and the 8-byte CRC-64-AVRO fingerprint of the writer schema,
 * little-endian) followed by the binary record. Readers tell writer versions apart by the
 * fingerprint, so no schema registry is needed.
 *
 * <p>Where a deployment has a schema registry, setting {@code schema.registry.url} (for
 * SmallRye, {@code mp.messaging.connector.smallrye-kafka.schema.registry.url}) switches to the
 * registry's framing instead: {@code 00}, the 4-byte id of the writer schema registered under
 * {@code <topic>-value} (or {@code -key}), then the binary record — what Confluent-compatible
 * registries (Confluent, Apicurio's ccompat API, Karapace, Redpanda) and their consumers expect.
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
  private SchemaRegistryClient registry;
  private String subjectSuffix = "-value";

  /**
   * @param encoder the generated class's {@code getEncoder()}
   * @param validator checks invariants, throwing {@link IllegalArgumentException}
   */
  public AvroSerializer(BinaryMessageEncoder<T> encoder, Consumer<? super T> validator) {
    this.encoder = encoder;
    this.validator = validator;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    registry = SchemaRegistryClient.configured(configs).orElse(null);
    subjectSuffix = isKey ? "-key" : "-value";
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
    if (registry != null) {
      return framed(topic, data, out);
    }
    try {
      encoder.encode(data, out);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "cannot encode " + data.getClass().getSimpleName() + " for topic " + topic, e);
    }
    return out.toByteArray();
  }

  private byte[] framed(String topic, T data, ByteArrayOutputStream out) {
    Schema schema = ((GenericContainer) data).getSchema();
    int id = registry.register(topic + subjectSuffix, schema);
    out.write(RegistryFraming.MAGIC);
    out.writeBytes(ByteBuffer.allocate(4).putInt(id).array());
    try {
      BinaryEncoder body = EncoderFactory.get().binaryEncoder(out, null);
      new SpecificDatumWriter<T>(schema).write(data, body);
      body.flush();
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "cannot encode " + data.getClass().getSimpleName() + " for topic " + topic, e);
    }
    return out.toByteArray();
  }
}
