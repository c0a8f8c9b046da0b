package ai.collectiveagency.schemas.signing;

import ai.collectiveagency.schemas.PolicyCheckpoint;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;

/**
 * Signs {@link PolicyCheckpoint} records with the trainer's Ed25519 private key: sets
 * {@code key_id} to the key's id, then {@code signature} to the signature of
 * {@link CheckpointSigningBytes} (which include the key id).
 *
 * <pre>{@code
 * CheckpointSigner signer = CheckpointSigner.fromPem(Path.of("/secrets/checkpoint.key.pem"));
 * PolicyCheckpoint signed = signer.sign(unsigned);
 * }</pre>
 */
public final class CheckpointSigner {

  private final PrivateKey key;
  private final String keyId;

  public CheckpointSigner(PrivateKey key) {
    this.key = key;
    this.keyId = Ed25519Keys.keyId(Ed25519Keys.publicKeyOf(key));
  }

  /**
   * The signer of an unencrypted PKCS#8 PEM file.
   *
   * @throws SigningKeyException naming the file when it cannot be read or holds no Ed25519 key
   */
  public static CheckpointSigner fromPem(Path privateKeyPem) {
    return new CheckpointSigner(Ed25519Keys.readPrivateKey(privateKeyPem));
  }

  /** The id of the key, as records and the replicas' logs name it. */
  public String keyId() {
    return keyId;
  }

  /** A copy of {@code checkpoint} with this key's id and signature. */
  public PolicyCheckpoint sign(PolicyCheckpoint checkpoint) {
    PolicyCheckpoint keyed = PolicyCheckpoint.newBuilder(checkpoint).setKeyId(keyId)
        .setSignature(null).build();
    try {
      Signature ed25519 = Signature.getInstance(Ed25519Keys.ALGORITHM);
      ed25519.initSign(key);
      ed25519.update(CheckpointSigningBytes.of(keyed));
      return PolicyCheckpoint.newBuilder(keyed).setSignature(ByteBuffer.wrap(ed25519.sign()))
          .build();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }
}
