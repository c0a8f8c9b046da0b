package ai.collectiveagency.schemas.signing;

import ai.collectiveagency.schemas.FleetPin;
import ai.collectiveagency.schemas.PolicyCheckpoint;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The Ed25519 public keys whose signatures a replica accepts on {@link PolicyCheckpoint}
 * records (the trainer's keys) or on {@link FleetPin} records (the operators' keys: another
 * instance), by key id. Several at once let the trainer's key be rotated without a stop: add the
 * new public key everywhere, switch the trainer's private key, then drop the old public key.
 *
 * <pre>{@code
 * TrustedKeys keys = TrustedKeys.fromPem(List.of(Path.of("trainer-2026.pub.pem")));
 * SignatureCheck check = keys.verify(record);
 * if (!check.valid()) { refuse(check.outcome(), check.detail()); }
 * }</pre>
 */
public final class TrustedKeys {

  private final Map<String, PublicKey> byId;

  public TrustedKeys(Collection<PublicKey> keys) {
    Map<String, PublicKey> ids = new LinkedHashMap<>();
    for (PublicKey key : keys) {
      ids.put(Ed25519Keys.keyId(key), key);
    }
    if (ids.isEmpty()) {
      throw new IllegalArgumentException("no public key: every record would be refused");
    }
    this.byId = Map.copyOf(ids);
  }

  /**
   * The keys of X.509 PEM files.
   *
   * @throws SigningKeyException naming the first file that cannot be read or holds no Ed25519
   *     public key
   */
  public static TrustedKeys fromPem(Collection<Path> publicKeyPems) {
    return new TrustedKeys(publicKeyPems.stream().map(Ed25519Keys::readPublicKey).toList());
  }

  /** The ids of the keys, for logs. */
  public Set<String> keyIds() {
    return byId.keySet();
  }

  /** Whether {@code checkpoint} carries a valid signature by one of these keys. */
  public SignatureCheck verify(PolicyCheckpoint checkpoint) {
    return verify(checkpoint.getSignature(), checkpoint.getKeyId(),
        () -> CheckpointSigningBytes.of(checkpoint));
  }

  /** Whether {@code pin} carries a valid signature by one of these keys. */
  public SignatureCheck verify(FleetPin pin) {
    return verify(pin.getSignature(), pin.getKeyId(), () -> FleetPinSigningBytes.of(pin));
  }

  private SignatureCheck verify(ByteBuffer signature, String keyId,
      Supplier<byte[]> signedBytes) {
    if (signature == null || !signature.hasRemaining()) {
      return SignatureCheck.refused(SignatureCheck.Outcome.UNSIGNED, "the record is not signed");
    }
    PublicKey key = keyId == null ? null : byId.get(keyId);
    if (key == null) {
      return SignatureCheck.refused(SignatureCheck.Outcome.UNKNOWN_KEY, "signed by key "
          + (keyId == null ? "(none named)" : "'" + keyId + "'") + ", not one of the trusted "
          + byId.keySet());
    }
    byte[] bytes = new byte[signature.remaining()];
    signature.duplicate().get(bytes);
    try {
      Signature ed25519 = Signature.getInstance(Ed25519Keys.ALGORITHM);
      ed25519.initVerify(key);
      ed25519.update(signedBytes.get());
      if (ed25519.verify(bytes)) {
        return SignatureCheck.valid(keyId);
      }
    } catch (GeneralSecurityException e) {
      // a malformed signature (wrong length, bad encoding) is as bad as a wrong one
      return SignatureCheck.refused(SignatureCheck.Outcome.BAD_SIGNATURE, "the signature does"
          + " not verify with key '" + keyId + "' (" + e.getMessage() + ")");
    }
    return SignatureCheck.refused(SignatureCheck.Outcome.BAD_SIGNATURE, "the signature does"
        + " not verify with key '" + keyId + "': the record was altered or signed by another key");
  }
}
