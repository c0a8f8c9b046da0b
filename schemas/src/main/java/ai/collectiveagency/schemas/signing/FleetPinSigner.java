package ai.collectiveagency.schemas.signing;

import ai.collectiveagency.schemas.FleetPin;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;

/**
 * Signs {@link FleetPin} records with an operator's Ed25519 private key: sets {@code key_id} to
 * the key's id, then {@code signature} to the signature of {@link FleetPinSigningBytes} (which
 * include the key id).
 *
 * <pre>{@code
 * FleetPinSigner signer = FleetPinSigner.fromPem(Path.of("keys/operator.key.pem"));
 * FleetPin signed = signer.sign(unsigned);
 * }</pre>
 */
public final class FleetPinSigner {

  private final PrivateKey key;
  private final String keyId;

  public FleetPinSigner(PrivateKey key) {
    this.key = key;
    this.keyId = Ed25519Keys.keyId(Ed25519Keys.publicKeyOf(key));
  }

  /**
   * The signer of an unencrypted PKCS#8 PEM file.
   *
   * @throws SigningKeyException naming the file when it cannot be read or holds no Ed25519 key
   */
  public static FleetPinSigner fromPem(Path privateKeyPem) {
    return new FleetPinSigner(Ed25519Keys.readPrivateKey(privateKeyPem));
  }

  /** The id of the key, as records and the replicas' logs name it. */
  public String keyId() {
    return keyId;
  }

  /** A copy of {@code pin} with this key's id and signature. */
  public FleetPin sign(FleetPin pin) {
    FleetPin keyed = FleetPin.newBuilder(pin).setKeyId(keyId).setSignature(null).build();
    try {
      Signature ed25519 = Signature.getInstance(Ed25519Keys.ALGORITHM);
      ed25519.initSign(key);
      ed25519.update(FleetPinSigningBytes.of(keyed));
      return FleetPin.newBuilder(keyed).setSignature(ByteBuffer.wrap(ed25519.sign())).build();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }
}
