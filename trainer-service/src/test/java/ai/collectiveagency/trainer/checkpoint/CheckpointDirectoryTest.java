package ai.collectiveagency.trainer.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.collectiveagency.policy.checkpoint.Sha256Manifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointDirectoryTest {

    @TempDir
    Path root;

    private static void file(Path folder, String name, String text) {
        try {
            Files.createDirectories(folder);
            Files.writeString(folder.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Stream<String> names() throws IOException {
        return Files.list(root).map(p -> p.getFileName().toString()).sorted();
    }

    @Test
    void aWrittenVersionHasAManifestOverItsFiles() {
        CheckpointDirectory store = new CheckpointDirectory(root);

        Path v1 = store.write(1, f -> file(f, "weights", "w1"));

        assertThat(v1).isEqualTo(root.resolve("v000001"));
        Sha256Manifest.verify(v1);
        assertThat(store.latestValid()).contains(v1);
    }

    @Test
    void aWriteThatFailsHalfwayPublishesNothingAndIsCleanedUpByTheNext() throws IOException {
        CheckpointDirectory store = new CheckpointDirectory(root);
        store.write(1, f -> file(f, "weights", "w1"));

        assertThatThrownBy(() -> store.write(2, f -> {
            file(f, "weights", "half");
            throw new IllegalStateException("killed");
        })).hasMessage("killed");
        assertThat(names()).containsExactly(".v2.partial", "v000001");
        assertThat(store.latestValid()).contains(root.resolve("v000001"));

        store.write(2, f -> file(f, "weights", "w2"));
        assertThat(names()).containsExactly("v000001", "v000002");
    }

    @Test
    void nestedFoldersAreForcedAndPublishedWithTheVersion() throws IOException {
        CheckpointDirectory store = new CheckpointDirectory(root);

        Path v1 = store.write(1, f -> {
            file(f, "weights", "w1");
            file(f.resolve("optimizer"), "optimizer.json", "{}");
        });

        Sha256Manifest.verify(v1);
        assertThat(Files.readString(v1.resolve("optimizer/optimizer.json"))).isEqualTo("{}");
        assertThat(names()).containsExactly("v000001");
    }

    @Test
    void partialFoldersOfAnyVersionAreRemovedBeforeAWrite() throws IOException {
        file(root.resolve(".v7.partial"), "weights", "left by a crash");
        file(root.resolve(".v3.partial"), "weights", "left by a crash");

        new CheckpointDirectory(root).write(1, f -> file(f, "weights", "w1"));

        assertThat(names()).containsExactly("v000001");
    }

    @Test
    void latestValidSkipsATamperedNewestVersion() throws IOException {
        CheckpointDirectory store = new CheckpointDirectory(root);
        Path v1 = store.write(1, f -> file(f, "weights", "w1"));
        Path v2 = store.write(2, f -> file(f, "weights", "w2"));
        Files.writeString(v2.resolve("weights"), "tampered");

        assertThat(store.latestValid()).contains(v1);
    }

    @Test
    void aTamperedVersionIsSetAsideWhenThatVersionIsWrittenAgain() throws IOException {
        CheckpointDirectory store = new CheckpointDirectory(root);
        store.write(1, f -> file(f, "weights", "w1"));
        Path v2 = store.write(2, f -> file(f, "weights", "w2"));
        Files.delete(v2.resolve(Sha256Manifest.FILE));

        store.write(2, f -> file(f, "weights", "w2 again"));

        assertThat(Files.readString(v2.resolve("weights"))).isEqualTo("w2 again");
        assertThat(store.latestValid()).contains(v2);
        assertThat(names()).anyMatch(n -> n.startsWith(".v2.corrupt-"));
    }

    @Test
    void aValidVersionIsNeverRewritten() {
        CheckpointDirectory store = new CheckpointDirectory(root);
        store.write(1, f -> file(f, "weights", "w1"));

        assertThatThrownBy(() -> store.write(1, f -> file(f, "weights", "other")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("never rewritten");
    }

    @Test
    void anEmptyOrMissingStoreHasNoLatest() {
        assertThat(new CheckpointDirectory(root.resolve("none")).latestValid()).isEmpty();
        assertThat(new CheckpointDirectory(root).latestValid()).isEmpty();
    }
}
