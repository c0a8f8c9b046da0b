package ai.collectiveagency.schemas.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key files as keygen writes them and the services read them. */
class KeyPairFilesTest {

  @TempDir
  Path dir;

  @Test
  void writtenPairReadsBackAndSignsUnderOneKeyId() throws Exception {
    KeyPairFiles files = KeyPairFiles.in(dir, "trainer").generate();

    assertThat(files.privateKey()).isEqualTo(dir.resolve("trainer.key.pem"));
    assertThat(files.publicKey()).isEqualTo(dir.resolve("trainer.pub.pem"));
    assertThat(Files.readString(files.privateKey())).startsWith("-----BEGIN PRIVATE KEY-----\n");
    assertThat(Files.readString(files.publicKey())).startsWith("-----BEGIN PUBLIC KEY-----\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.privateKey())))
        .isEqualTo("rw-------");
    CheckpointSigner signer = CheckpointSigner.fromPem(files.privateKey());
    TrustedKeys trusted = TrustedKeys.fromPem(List.of(files.publicKey()));
    assertThat(trusted.keyIds()).containsExactly(signer.keyId());
  }

  @Test
  void publicKeyDerivedFromThePrivateKeyIsThePairs() {
    var pair = Ed25519Keys.generate();

    assertThat(Ed25519Keys.publicKeyOf(pair.getPrivate()).getEncoded())
        .isEqualTo(pair.getPublic().getEncoded());
  }

  @Test
  void existingKeyFileIsNeverOverwritten() throws Exception {
    KeyPairFiles files = KeyPairFiles.in(dir, "trainer").generate();
    String before = Files.readString(files.privateKey());

    assertThatThrownBy(() -> KeyPairFiles.in(dir, "trainer").generate())
        .isInstanceOf(SigningKeyException.class)
        .hasMessageContaining("trainer.key.pem: exists");
    assertThat(Files.readString(files.privateKey())).isEqualTo(before);
  }

  @Test
  void privateKeyOfAnotherAlgorithmIsRefusedNamingTheFile() throws Exception {
    PrivateKey rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair().getPrivate();
    Path file = dir.resolve("rsa.key.pem");
    Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder()
        .encodeToString(rsa.getEncoded()) + "\n-----END PRIVATE KEY-----\n");

    assertThatThrownBy(() -> CheckpointSigner.fromPem(file))
        .isInstanceOf(SigningKeyException.class)
        .hasMessageStartingWith(file + ": not an Ed25519 private key");
  }

  @Test
  void publicKeyFileGivenAsPrivateKeyIsRefused() {
    KeyPairFiles files = KeyPairFiles.in(dir, "trainer").generate();

    assertThatThrownBy(() -> CheckpointSigner.fromPem(files.publicKey()))
        .isInstanceOf(SigningKeyException.class)
        .hasMessage(files.publicKey() + ": no -----BEGIN PRIVATE KEY----- block");
  }

  @Test
  void missingFileIsRefusedNamingIt() {
    Path missing = dir.resolve("nope.pub.pem");

    assertThatThrownBy(() -> TrustedKeys.fromPem(List.of(missing)))
        .isInstanceOf(SigningKeyException.class)
        .hasMessageStartingWith(missing + ": cannot read");
  }
}
