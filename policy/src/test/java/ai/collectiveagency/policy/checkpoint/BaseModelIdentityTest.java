package ai.collectiveagency.policy.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.collectiveagency.policy.fixtures.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** A base model is known by its weights, not by its name. */
class BaseModelIdentityTest {

    /** The warm-up's shipped model, which has a manifest.json. */
    private static final Path NEGOTIATOR = Path.of("../models/negotiator-tiny");

    @TempDir
    Path dir;

    @Test
    void folderWithAManifestIsKnownByItsManifest() throws IOException {
        assertThat(BaseModelIdentity.sha256(NEGOTIATOR))
                .isEqualTo(Sha256Manifest.digest(NEGOTIATOR));
    }

    @Test
    void folderWithoutAManifestIsKnownByItsWeightsAndConfig() throws IOException {
        Path base = copy(Fixtures.shipped("qwen2-tiny-random"), dir.resolve("base"));
        String identity = BaseModelIdentity.sha256(base);

        assertThat(identity).matches("[0-9a-f]{64}");
        assertThat(base.resolve(Sha256Manifest.FILE)).doesNotExist();
        Files.writeString(base.resolve("README.md"), "notes");
        Files.writeString(base.resolve("tokenizer_config.json"), "{}");
        assertThat(BaseModelIdentity.sha256(base)).as("tokenizer and notes are not weights")
                .isEqualTo(identity);
        flipLastByte(base.resolve(WeightsLoader.SINGLE_FILE));
        assertThat(BaseModelIdentity.sha256(base)).isNotEqualTo(identity);
    }

    @Test
    void rebuiltModelOfTheSameNameHasAnotherIdentity() throws IOException {
        Path first = copy(NEGOTIATOR, dir.resolve("negotiator-tiny"));
        String before = BaseModelIdentity.sha256(first);
        flipLastByte(first.resolve(WeightsLoader.SINGLE_FILE));
        Sha256Manifest.write(first); // a rebuild writes a manifest of its own

        assertThat(BaseModelIdentity.sha256(first)).isNotEqualTo(before);
    }

    @Test
    void folderThatNoLongerMatchesItsManifestIsRefused() throws IOException {
        Path base = copy(NEGOTIATOR, dir.resolve("negotiator-tiny"));
        flipLastByte(base.resolve(WeightsLoader.SINGLE_FILE));

        assertThatThrownBy(() -> BaseModelIdentity.sha256(base))
                .isInstanceOf(CorruptCheckpointException.class)
                .hasMessageContaining(WeightsLoader.SINGLE_FILE);
    }

    private static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
        return to;
    }

    private static void flipLastByte(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 1] ^= 1;
        Files.write(file, bytes);
    }
}
