package ai.collectiveagency.rollout.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.collectiveagency.policy.checkpoint.Sha256Manifest;
import ai.collectiveagency.schemas.CheckpointFormat;
import ai.collectiveagency.schemas.PolicyCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is refused before loading, and that each refusal says why. */
class CheckpointVerifierTest {

    @TempDir
    static Path saved;

    private static PolicyCheckpoint valid;

    @TempDir
    Path dir;

    private final CheckpointVerifier verifier = new CheckpointVerifier(new LocalDirectoryStore(),
            Set.of(TestCheckpoints.BASE));

    @BeforeAll
    static void saveAdapter() {
        valid = TestCheckpoints.lora(saved.resolve("v1"), 1);
    }

    @Test
    void validCheckpointVerifiesToItsFolder() {
        assertThat(verifier.verify(valid)).isEqualTo(saved.resolve("v1").toAbsolutePath());
    }

    @Test
    void shaOfAnotherManifestIsRefused() {
        PolicyCheckpoint other = copy(valid).setSha256("0".repeat(64)).build();
        assertRefused(other, RefusalReason.SHA256)
                .hasMessageContaining("manifest.json has sha256 " + valid.getSha256())
                .hasMessageEndingWith("the record says " + "0".repeat(64));
    }

    @Test
    void fileAlteredAfterTheManifestIsRefusedNamingIt() throws Exception {
        PolicyCheckpoint checkpoint = TestCheckpoints.lora(dir, 2);
        TestCheckpoints.tamper(dir);
        assertRefused(checkpoint, RefusalReason.CORRUPT).hasMessageContaining(
                dir.resolve(TestCheckpoints.ADAPTER_FILE).toAbsolutePath() + ": sha256");
    }

    @Test
    void manifestRewrittenAfterPublishingIsRefused() {
        PolicyCheckpoint checkpoint = TestCheckpoints.lora(dir, 2);
        TestCheckpoints.tamper(dir);
        Sha256Manifest.write(dir); // a consistent folder, but not the one announced
        assertRefused(checkpoint, RefusalReason.SHA256).hasMessageContaining("the record says");
    }

    @Test
    void fileAddedAfterTheManifestIsRefused() throws Exception {
        PolicyCheckpoint checkpoint = TestCheckpoints.lora(dir, 2);
        Files.writeString(dir.resolve("extra.bin"), "x");
        assertRefused(checkpoint, RefusalReason.CORRUPT)
                .hasMessageContaining("extra.bin: not listed in manifest.json");
    }

    @Test
    void folderWithoutManifestIsRefused() throws Exception {
        PolicyCheckpoint checkpoint = TestCheckpoints.lora(dir, 2);
        Files.delete(dir.resolve(Sha256Manifest.FILE));
        assertRefused(checkpoint, RefusalReason.CORRUPT)
                .hasMessageContaining("manifest.json: missing");
    }

    @Test
    void adapterForAnotherBaseModelIsRefused() {
        PolicyCheckpoint other = copy(valid).setBaseModel("meta-llama/Llama-3.2-1B").build();
        assertRefused(other, RefusalReason.BASE_MODEL).hasMessage("checkpoint version 1: a LORA"
                + " adapter for base model 'meta-llama/Llama-3.2-1B', but this service serves ["
                + TestCheckpoints.BASE + "]");
    }

    @Test
    void fullCheckpointIsNotBoundToTheBaseModelName() {
        PolicyCheckpoint full = copy(valid).setFormat(CheckpointFormat.FULL)
                .setBaseModel("another").build();
        assertThat(verifier.verify(full)).isEqualTo(saved.resolve("v1").toAbsolutePath());
    }

    @Test
    void missingFolderIsRefused() {
        Path gone = dir.resolve("never-written");
        PolicyCheckpoint checkpoint = TestCheckpoints.record(3, gone, valid.getSha256(),
                CheckpointFormat.LORA, TestCheckpoints.BASE);
        assertRefused(checkpoint, RefusalReason.MISSING).hasMessageStartingWith(
                "checkpoint version 3: " + gone.toAbsolutePath() + ": no such checkpoint folder");
    }

    @Test
    void uriOfAnotherStoreIsRefused() {
        PolicyCheckpoint remote = copy(valid).setUri("s3://bucket/run-1/v1").build();
        assertRefused(remote, RefusalReason.URI)
                .hasMessageContaining("only file: URIs are read");
    }

    @Test
    void relativeFileUriIsRefused() {
        PolicyCheckpoint relative = copy(valid).setUri("file:checkpoints/v1").build();
        assertRefused(relative, RefusalReason.URI).hasMessageContaining("'file:checkpoints/v1'");
    }

    private AbstractThrowableAssert<?, ? extends Throwable> assertRefused(
            PolicyCheckpoint checkpoint, RefusalReason reason) {
        return assertThatThrownBy(() -> verifier.verify(checkpoint))
                .isInstanceOf(CheckpointRefusedException.class)
                .satisfies(e -> assertThat(((CheckpointRefusedException) e).reason())
                        .isEqualTo(reason));
    }

    private static PolicyCheckpoint.Builder copy(PolicyCheckpoint checkpoint) {
        return PolicyCheckpoint.newBuilder(checkpoint);
    }
}
