package ai.collectiveagency.policy.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.collectiveagency.policy.fixtures.Fixtures;
import ai.collectiveagency.policy.model.Llama;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A folder read through its manifest: the bytes handed out are the bytes checked, a file swapped
 * after opening is caught by the read, and nothing outside the root is opened.
 */
class VerifiedFolderTest {

    private static final Path MODEL = Fixtures.shipped("stories260k");

    @TempDir
    Path root;

    private Path folder;
    private String digest;

    @BeforeEach
    void saveStories260k() {
        folder = root.resolve("v1");
        try (Llama model = Llama.load(MODEL)) {
            ModelCheckpoint.save(folder, model.config(), model.parameters());
        }
        digest = Sha256Manifest.digest(folder);
    }

    @Test
    void bytesReadAreTheListedOnes() throws IOException {
        VerifiedFolder verified = VerifiedFolder.open(folder, digest, root);

        assertThat(verified.readAll("config.json"))
                .isEqualTo(Files.readAllBytes(folder.resolve("config.json")));
        assertThat(verified.manifestSha256()).isEqualTo(digest);
        assertThat(verified.files()).containsOnlyKeys("config.json", "model.safetensors");
    }

    @Test
    void fileSwappedAfterOpeningIsCaughtByTheRead() throws IOException {
        VerifiedFolder verified = VerifiedFolder.open(folder, digest, root);
        swapLastByte(folder.resolve("config.json"));

        assertThatThrownBy(() -> verified.readAll("config.json"))
                .isInstanceOf(CorruptCheckpointException.class)
                .hasMessageContaining(folder.resolve("config.json").toRealPath() + ": sha256");
    }

    @Test
    void weightsSwappedAfterOpeningAreNeverLoaded() throws IOException {
        VerifiedFolder verified = VerifiedFolder.open(folder, digest, root);
        swapLastByte(folder.resolve(WeightsLoader.SINGLE_FILE));

        assertThatThrownBy(() -> Llama.load(verified).close())
                .isInstanceOf(CorruptCheckpointException.class)
                .hasMessageContaining(WeightsLoader.SINGLE_FILE + ": sha256");
    }

    @Test
    void verifiedWeightsGiveTheSameModel() {
        try (Llama fromPath = Llama.load(folder);
                Llama verified = Llama.load(VerifiedFolder.open(folder, digest, root))) {
            assertThat(verified.config()).isEqualTo(fromPath.config());
            fromPath.parameters().asMap().forEach((name, array) -> assertThat(
                    verified.parameters().get(name).toFloatArray()).as(name)
                    .containsExactly(array.toFloatArray()));
        }
    }

    @Test
    void fileGrownAfterOpeningIsCaught() throws IOException {
        VerifiedFolder verified = VerifiedFolder.open(folder, digest, root);
        Files.writeString(folder.resolve("config.json"), " ", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);

        assertThatThrownBy(() -> verified.readAll("config.json"))
                .isInstanceOf(CorruptCheckpointException.class)
                .hasMessageContaining("longer than the");
    }

    @Test
    void manifestOfAnotherDigestIsRefused() {
        assertThatThrownBy(() -> VerifiedFolder.open(folder, "0".repeat(64), root))
                .isInstanceOf(ManifestDigestException.class)
                .hasMessageEndingWith("has sha256 " + digest + ", the record says "
                        + "0".repeat(64));
    }

    @Test
    void symlinkedFileLeavingTheRootIsRefused(@TempDir Path elsewhere) throws IOException {
        Path outside = elsewhere.resolve("config.json");
        Files.copy(folder.resolve("config.json"), outside);
        Files.delete(folder.resolve("config.json"));
        Files.createSymbolicLink(folder.resolve("config.json"), outside);

        assertThatThrownBy(() -> VerifiedFolder.open(folder, digest, root))
                .isInstanceOf(ConfinementException.class)
                .hasMessageContaining("resolves to " + outside.toRealPath() + ", outside "
                        + root.toRealPath());
    }

    @Test
    void symlinkThatStaysInsideTheRootIsFollowed() throws IOException {
        Path shared = Files.createDirectories(root.resolve("shared")).resolve("config.json");
        Files.copy(folder.resolve("config.json"), shared);
        Files.delete(folder.resolve("config.json"));
        Files.createSymbolicLink(folder.resolve("config.json"), shared);

        assertThat(VerifiedFolder.open(folder, digest, root).readAll("config.json"))
                .isEqualTo(Files.readAllBytes(shared));
    }

    @Test
    void folderOutsideTheRootIsRefused(@TempDir Path elsewhere) {
        assertThatThrownBy(() -> VerifiedFolder.open(folder, digest, elsewhere))
                .isInstanceOf(ConfinementException.class);
    }

    @Test
    void unlistedAndMissingFilesAreRefused() throws IOException {
        Files.writeString(folder.resolve("extra.bin"), "x");
        assertThatThrownBy(() -> VerifiedFolder.open(folder, digest, root))
                .isInstanceOf(CorruptCheckpointException.class)
                .hasMessageEndingWith("extra.bin: not listed in manifest.json");
        Files.delete(folder.resolve("extra.bin"));
        Files.delete(folder.resolve("config.json"));
        assertThatThrownBy(() -> VerifiedFolder.open(folder, digest, root))
                .isInstanceOf(CorruptCheckpointException.class)
                .hasMessageEndingWith("config.json: missing (listed in manifest.json)");
    }

    /** Flips the last byte: same size, other content. */
    private static void swapLastByte(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 1] ^= 1;
        Files.write(file, bytes);
    }
}
