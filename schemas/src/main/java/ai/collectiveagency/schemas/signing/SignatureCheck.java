package ai.collectiveagency.schemas.signing;

import java.util.Objects;

/**
 * What {@link TrustedKeys#verify} found.
 *
 * @param outcome {@link Outcome#VALID}, or why the record is refused
 * @param detail the key id when valid, else a message saying what is wrong
 */
public record SignatureCheck(Outcome outcome, String detail) {

  /** Valid, or the reason a record is refused. */
  public enum Outcome {
    /** Signed by a trusted key, and every signed field is as it was signed. */
    VALID,
    /** No signature at all (a writer that does not sign, or a stripped record). */
    UNSIGNED,
    /** Signed, but by a key id that is not trusted (or none). */
    UNKNOWN_KEY,
    /** Names a trusted key, but the signature does not verify. */
    BAD_SIGNATURE
  }

  public SignatureCheck {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(detail, "detail");
  }

  static SignatureCheck valid(String keyId) {
    return new SignatureCheck(Outcome.VALID, keyId);
  }

  static SignatureCheck refused(Outcome outcome, String detail) {
    return new SignatureCheck(outcome, detail);
  }

  public boolean valid() {
    return outcome == Outcome.VALID;
  }
}
