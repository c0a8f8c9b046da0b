package ai.collectiveagency.schemas.kafka;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record was written with a schema the reader does not know: its fingerprint is in neither
 * the reader's class nor the schema history. Consumers send such records to the DLQ; adding the
 * writer's schema to {@code schema-history/} and redeploying makes them readable.
 */
public class UnknownSchemaException extends SerializationException {

  private static final long serialVersionUID = 1L;

  private final long fingerprint;
  private final String recordName;

  /**
   * @param recordName the record type the reader expected
   * @param fingerprint the writer schema's CRC-64-AVRO fingerprint from the header
   * @param cause Avro's exception
   */
  public UnknownSchemaException(String recordName, long fingerprint, Throwable cause) {
    super(String.format("unknown writer schema fingerprint %016x for %s (not in schema-history)",
        fingerprint, recordName), cause);
    this.fingerprint = fingerprint;
    this.recordName = recordName;
  }

  /** @return the writer schema's CRC-64-AVRO fingerprint */
  public long fingerprint() {
    return fingerprint;
  }

  /** @return the record type the reader expected */
  public String recordName() {
    return recordName;
  }
}
