package ai.collectiveagency.schemas;

/**
 * Invariants of a {@link FleetPin} that Avro cannot express: a pin names a non-negative version,
 * an unpin names none, the issuer is not blank. The signature is checked by whoever trusts it
 * ({@code ai.collectiveagency.schemas.signing.TrustedKeys}), not here.
 */
public final class FleetPins {

  /**
   * The record key of every pin and unpin: one key, so that compaction keeps the latest state.
   */
  public static final String KEY = "pin";

  private FleetPins() {}

  /**
   * Checks the invariants.
   *
   * @param pin the record to check
   * @throws IllegalArgumentException naming the field of the first violation
   */
  public static void validate(FleetPin pin) {
    Long version = pin.getVersion();
    if (pin.getPinned() && version == null) {
      throw new IllegalArgumentException("version: absent on a pin");
    }
    if (pin.getPinned() && version < 0) {
      throw new IllegalArgumentException("version: negative " + version);
    }
    if (!pin.getPinned() && version != null) {
      throw new IllegalArgumentException("version: " + version + " on an unpin");
    }
    if (pin.getIssuer().isBlank()) {
      throw new IllegalArgumentException("issuer: blank");
    }
  }
}
