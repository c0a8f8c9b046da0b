package ai.collectiveagency.schemas.signing;

import ai.collectiveagency.schemas.FleetPin;

/**
 * The bytes of a {@link FleetPin} that its Ed25519 signature covers: every field but
 * {@code signature}, in the encodings of {@link CheckpointSigningBytes} under a domain of its
 * own, so that a checkpoint's signature can never pass for a pin's, nor the reverse.
 *
 * <pre>
 *   "ai.collectiveagency/FleetPin/signed" 0x00 0x01   domain separation, format version
 *   pinned bool (one byte, 0x00 or 0x01), version optional int64,
 *   issued_at int64 (epoch milliseconds), issuer string, reason optional string,
 *   key_id optional string
 * </pre>
 */
public final class FleetPinSigningBytes {

  /** The domain-separation prefix (ASCII, followed by a zero byte). */
  public static final String DOMAIN = "ai.collectiveagency/FleetPin/signed";
  /** The format version of the encoding, the byte after the prefix. */
  public static final int FORMAT_VERSION = 1;

  private FleetPinSigningBytes() {}

  /** The bytes to sign, or to verify a signature against. */
  public static byte[] of(FleetPin pin) {
    SigningEncoder out = new SigningEncoder();
    out.header(DOMAIN, FORMAT_VERSION);
    out.bool(pin.getPinned());
    out.optional(pin.getVersion());
    out.int64(pin.getIssuedAt().toEpochMilli());
    out.string(pin.getIssuer());
    out.optional(pin.getReason());
    out.optional(pin.getKeyId());
    return out.bytes();
  }
}
