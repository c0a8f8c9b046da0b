package ai.collectiveagency.schemas.kafka;

/**
 * The framing of a record written through a Confluent-compatible schema registry: a zero byte,
 * the writer schema's registry id (4 bytes, big-endian), then Avro's binary encoding.
 */
final class RegistryFraming {

  /** The first byte of a registry-framed record (single-object encoding starts with C3 01). */
  static final int MAGIC = 0;
  /** Magic byte and id. */
  static final int HEADER_LENGTH = 5;

  private RegistryFraming() {
  }

  static boolean isFramed(byte[] data) {
    return data.length >= HEADER_LENGTH && data[0] == MAGIC;
  }
}
