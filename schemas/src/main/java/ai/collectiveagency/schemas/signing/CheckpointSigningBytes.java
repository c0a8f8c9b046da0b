package ai.collectiveagency.schemas.signing;

import ai.collectiveagency.schemas.PolicyCheckpoint;

/**
 * The bytes of a {@link PolicyCheckpoint} that its Ed25519 signature covers: every field but
 * {@code signature}, in a fixed order and an encoding of its own, so that what is signed does
 * not depend on Avro (a writer schema, a registry's framing, field order after an evolution).
 *
 * <pre>
 *   "ai.collectiveagency/PolicyCheckpoint/signed" 0x00   domain separation: these bytes can
 *                                                        never be mistaken for another message
 *   0x01                                                 format version of this encoding
 *   version int64, step int64, uri string, sha256 string, format string (the symbol),
 *   base_model string, base_model_sha256 optional string, key_id optional string,
 *   created_at int64 (epoch milliseconds), metrics map(float64), consumed_offsets map(int64)
 *
 *   int64     8 bytes, big-endian two's complement
 *   float64   the IEEE 754 bits, big-endian; every NaN as 0x7ff8000000000000
 *   string    uint32 big-endian byte count, then UTF-8
 *   optional  0x00 when absent; 0x01, then the value
 *   map       uint32 entry count, then per entry the key (string) and the value, entries in
 *             the unsigned byte order of their keys' UTF-8
 * </pre>
 *
 * <p>Every value carries its length, so no two records share their bytes. A field added to
 * {@code PolicyCheckpoint} later is covered only under a new format version, which replicas
 * must learn before a trainer writes it.
 */
public final class CheckpointSigningBytes {

  /** The domain-separation prefix (ASCII, followed by a zero byte). */
  public static final String DOMAIN = "ai.collectiveagency/PolicyCheckpoint/signed";
  /** The format version of the encoding, the byte after the prefix. */
  public static final int FORMAT_VERSION = 1;

  private CheckpointSigningBytes() {}

  /** The bytes to sign, or to verify a signature against. */
  public static byte[] of(PolicyCheckpoint checkpoint) {
    SigningEncoder out = new SigningEncoder();
    out.header(DOMAIN, FORMAT_VERSION);
    out.int64(checkpoint.getVersion());
    out.int64(checkpoint.getStep());
    out.string(checkpoint.getUri());
    out.string(checkpoint.getSha256());
    out.string(checkpoint.getFormat().name());
    out.string(checkpoint.getBaseModel());
    out.optional(checkpoint.getBaseModelSha256());
    out.optional(checkpoint.getKeyId());
    out.int64(checkpoint.getCreatedAt().toEpochMilli());
    out.map(checkpoint.getMetrics(), (o, value) -> o.float64(value));
    out.map(checkpoint.getConsumedOffsets(), (o, value) -> o.int64(value));
    return out.bytes();
  }
}
