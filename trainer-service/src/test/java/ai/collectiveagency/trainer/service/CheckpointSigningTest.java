package ai.collectiveagency.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import ai.collectiveagency.schemas.signing.Ed25519Keys;
import ai.collectiveagency.schemas.signing.KeyPairFiles;
import ai.collectiveagency.trainer.TestConfigs;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trainer does not start without a usable signing key, and says which key is wrong. */
class CheckpointSigningTest {

    @TempDir
    Path dir;

    @Test
    void missingKeyStopsStartUpNamingTheSetting() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CheckpointSigning.signer(TestConfigs.config(Map.of())))
                .withMessageStartingWith("trainer.signing.private-key is not set");
    }

    @Test
    void unreadableOrForeignKeyStopsStartUpNamingTheSettingAndTheFile() {
        Path missing = dir.resolve("nope.key.pem");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CheckpointSigning.signer(TestConfigs.config(Map.of(
                        "trainer.signing.private-key", missing.toString()))))
                .withMessageStartingWith("trainer.signing.private-key: " + missing
                        + ": cannot read");
        KeyPairFiles keys = KeyPairFiles.in(dir, "trainer").generate();
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CheckpointSigning.signer(TestConfigs.config(Map.of(
                        "trainer.signing.private-key", keys.publicKey().toString()))))
                .withMessage("trainer.signing.private-key: " + keys.publicKey()
                        + ": no -----BEGIN PRIVATE KEY----- block");
    }

    @Test
    void keyFromKeygenSignsUnderItsKeyId() {
        KeyPairFiles keys = KeyPairFiles.in(dir, "trainer").generate();
        assertThat(CheckpointSigning.signer(TestConfigs.config(Map.of(
                "trainer.signing.private-key", keys.privateKey().toString()))).keyId())
                .isEqualTo(Ed25519Keys.keyId(Ed25519Keys.readPublicKey(keys.publicKey())));
    }
}
