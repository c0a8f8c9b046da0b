package ai.collectiveagency.policy.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.collectiveagency.policy.fixtures.Fixtures;
import ai.collectiveagency.policy.model.Llama;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/** The manifest tells an intact checkpoint from an altered, partial or padded one. */
class Sha256ManifestTest {

    @TempDir
    Path dir;

    @BeforeEach
    void saveStories260k() {
        try (Llama model = Llama.load(Fixtures.shipped("stories260k"))) {
            ModelCheckpoint.save(dir, model.config(), model.parameters());
        }
    }

    @Test
    void intactCheckpointVerifies() {
        assertThatCode(() -> Sha256Manifest.verify(dir)).doesNotThrowAnyException();
    }

    @Test
    void manifestRecordsTheSha256OfEachFile() throws Exception {
        byte[] config = Files.readAllBytes(dir.resolve("config.json"));
        String expected = HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(config));
        assertThat(Files.readString(dir.resolve("manifest.json"))).contains(expected);
    }

    @Test
    void digestIsTheSha256OfTheManifestBytes() throws Exception {
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(dir.resolve("manifest.json"))));
        assertThat(Sha256Manifest.digest(dir)).isEqualTo(expected).matches("[0-9a-f]{64}");
    }

    @Test
    void digestOfAFolderWithoutManifestNamesIt() throws Exception {
        Files.delete(dir.resolve("manifest.json"));
        assertThatThrownBy(() -> Sha256Manifest.digest(dir))
                .isInstanceOf(CorruptCheckpointException.class)
                .hasMessageStartingWith(dir.resolve("manifest.json") + ": missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"model.safetensors", "config.json"})
    void tamperedCheckpointIsRefusedNamingTheFile(String name) throws Exception {
        Path file = dir.resolve(name);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1; // same size, one bit changed
        Files.write(file, bytes);
        assertThatThrownBy(() -> Sha256Manifest.verify(dir))
                .isInstanceOf(CorruptCheckpointException.class)
                .hasMessageStartingWith(file + ": sha256");
        assertThatThrownBy(() -> ModelCheckpoint.load(dir))
                .isInstanceOf(CorruptCheckpointException.class);
    }

    @Test
    void missingFileIsRefusedNamingIt() throws Exception {
        Files.delete(dir.resolve("config.json"));
        assertThatThrownBy(() -> Sha256Manifest.verify(dir))
                .hasMessage(dir.resolve("config.json") + ": missing (listed in manifest.json)");
    }

    @Test
    void unlistedFileIsRefusedNamingIt() throws Exception {
        Files.writeString(dir.resolve("model.safetensors.index.json"), "{}");
        assertThatThrownBy(() -> Sha256Manifest.verify(dir))
                .hasMessage(dir.resolve("model.safetensors.index.json")
                        + ": not listed in manifest.json");
    }

    @Test
    void checkpointWithoutManifestIsRefused() throws Exception {
        Files.delete(dir.resolve("manifest.json"));
        assertThatThrownBy(() -> Sha256Manifest.verify(dir))
                .isInstanceOf(CorruptCheckpointException.class)
                .hasMessageContaining("manifest.json: missing");
    }

    @Test
    void manifestPointingOutsideTheFolderIsRefused() throws Exception {
        Files.writeString(dir.resolve("manifest.json"),
                "{\"files\": {\"../elsewhere\": {\"sha256\": \"00\", \"size\": 1}}}",
                StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Sha256Manifest.verify(dir))
                .hasMessageContaining("'../elsewhere', outside the checkpoint folder");
    }
}
