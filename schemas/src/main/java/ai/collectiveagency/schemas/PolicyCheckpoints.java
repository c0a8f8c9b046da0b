package ai.collectiveagency.schemas;

import java.util.regex.Pattern;

/**
 * Invariants of a {@link PolicyCheckpoint} manifest that Avro cannot express: a non-negative
 * version and step, a non-blank URI, and SHA-256s ({@code sha256}, and {@code base_model_sha256}
 * when present) of 64 lower-case hex digits. The signature is checked by whoever trusts it
 * ({@code ai.collectiveagency.schemas.signing.TrustedKeys}), not here.
 */
public final class PolicyCheckpoints {

  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  private PolicyCheckpoints() {}

  /**
   * Checks the invariants.
   *
   * @param checkpoint the manifest to check
   * @throws IllegalArgumentException naming the field of the first violation
   */
  public static void validate(PolicyCheckpoint checkpoint) {
    if (checkpoint.getVersion() < 0) {
      throw new IllegalArgumentException("version: negative " + checkpoint.getVersion());
    }
    if (checkpoint.getStep() < 0) {
      throw new IllegalArgumentException("step: negative " + checkpoint.getStep());
    }
    if (checkpoint.getUri().isBlank()) {
      throw new IllegalArgumentException("uri: blank");
    }
    if (!SHA256.matcher(checkpoint.getSha256()).matches()) {
      throw new IllegalArgumentException(
          "sha256: not 64 lower-case hex digits: " + checkpoint.getSha256());
    }
    String base = checkpoint.getBaseModelSha256();
    if (base != null && !SHA256.matcher(base).matches()) {
      throw new IllegalArgumentException(
          "base_model_sha256: not 64 lower-case hex digits: " + base);
    }
  }
}
