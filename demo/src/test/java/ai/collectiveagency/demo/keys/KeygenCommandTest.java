package ai.collectiveagency.demo.keys;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.schemas.signing.CheckpointSigner;
import ai.collectiveagency.schemas.signing.TrustedKeys;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ./pipeline keygen}: a usable pair, the private half private, nothing overwritten. */
class KeygenCommandTest {

    @TempDir
    Path root;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @Test
    void writesAPairTheTrainerAndTheReplicasCanUse() throws Exception {
        assertThat(run("--out", "keys", "--name", "trainer-2026")).isZero();

        Path privateKey = root.resolve("keys/trainer-2026.key.pem");
        Path publicKey = root.resolve("keys/trainer-2026.pub.pem");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(privateKey)))
                .isEqualTo("rw-------");
        String keyId = CheckpointSigner.fromPem(privateKey).keyId();
        assertThat(TrustedKeys.fromPem(List.of(publicKey)).keyIds()).containsExactly(keyId);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("key " + keyId)
                .contains(privateKey.toString()).contains(publicKey.toString());
    }

    @Test
    void refusesToOverwriteAKey() throws Exception {
        assertThat(run("--out", "keys")).isZero();
        String before = Files.readString(root.resolve("keys/trainer.key.pem"));

        assertThat(run("--out", "keys")).isEqualTo(2);
        assertThat(Files.readString(root.resolve("keys/trainer.key.pem"))).isEqualTo(before);
    }

    private int run(String... args) {
        return new CommandLine(new KeygenCommand(root, new PrintStream(out, true,
                StandardCharsets.UTF_8))).execute(args);
    }
}
