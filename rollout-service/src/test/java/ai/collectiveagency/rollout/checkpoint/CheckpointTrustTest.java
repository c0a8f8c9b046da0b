package ai.collectiveagency.rollout.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import ai.collectiveagency.schemas.signing.KeyPairFiles;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A replica that follows checkpoints will not start without knowing whom and where to trust. */
class CheckpointTrustTest {

    @TempDir
    Path dir;

    @Test
    void missingPublicKeysStopStartUpNamingTheKey() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CheckpointTrust.of(config(Map.of(
                        "rollout.checkpoints.store-root", dir.toString()))))
                .withMessageStartingWith("rollout.checkpoints.public-keys is not set");
    }

    @Test
    void unusablePublicKeyFileStopsStartUpNamingTheKeyAndTheFile() throws Exception {
        Path notAKey = Files.writeString(dir.resolve("key.pem"), "hello");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CheckpointTrust.of(config(Map.of(
                        "rollout.checkpoints.public-keys", notAKey.toString(),
                        "rollout.checkpoints.store-root", dir.toString()))))
                .withMessage("rollout.checkpoints.public-keys: " + notAKey
                        + ": no -----BEGIN PUBLIC KEY----- block");
    }

    @Test
    void missingOrAbsentStoreRootStopsStartUpNamingTheKey() {
        KeyPairFiles keys = KeyPairFiles.in(dir, "trainer").generate();
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CheckpointTrust.of(config(Map.of(
                        "rollout.checkpoints.public-keys", keys.publicKey().toString()))))
                .withMessageStartingWith("rollout.checkpoints.store-root is not set");
        Path absent = dir.resolve("no-such-store");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CheckpointTrust.of(config(Map.of(
                        "rollout.checkpoints.public-keys", keys.publicKey().toString(),
                        "rollout.checkpoints.store-root", absent.toString()))))
                .withMessage("rollout.checkpoints.store-root: " + absent
                        + " is not an existing directory");
    }

    @Test
    void severalPublicKeysAreTrustedAtOnceForARotation() {
        KeyPairFiles old = KeyPairFiles.in(dir, "trainer-2026").generate();
        KeyPairFiles next = KeyPairFiles.in(dir, "trainer-2027").generate();
        CheckpointTrust trust = CheckpointTrust.of(config(Map.of(
                "rollout.checkpoints.public-keys", old.publicKey() + "," + next.publicKey(),
                "rollout.checkpoints.store-root", dir.toString())));
        assertThat(trust.keys().keyIds()).hasSize(2);
    }

    private static CheckpointConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().withMapping(CheckpointConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter()) // "30s", as Quarkus
                .withSources(new PropertiesConfigSource(new HashMap<>(properties), "test", 100))
                .build().getConfigMapping(CheckpointConfig.class);
    }
}
