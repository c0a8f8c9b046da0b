package ai.collectiveagency.selfplay.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.collectiveagency.policy.checkpoint.Sha256Manifest;
import ai.collectiveagency.policy.checkpoint.WeightsLoader;
import ai.collectiveagency.schemas.CheckpointFormat;
import ai.collectiveagency.schemas.PolicyCheckpoint;
import ai.collectiveagency.schemas.signing.CheckpointSigner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What is refused before loading, in which order, and that each refusal says why: real adapter
 * folders in a real store root, records signed with a key pair made for the test.
 */
class CheckpointVerifierTest {

    private static final TestKeys KEYS = TestKeys.generate();
    private static final CheckpointSigner TRAINER = KEYS.signer();

    @TempDir
    static Path root;

    private static PolicyCheckpoint valid;
    private static CheckpointVerifier verifier;

    @TempDir
    Path elsewhere;

    @BeforeAll
    static void saveAdapter() {
        valid = TestCheckpoints.lora(root.resolve("v1"), 1, TRAINER);
        verifier = new CheckpointVerifier(KEYS.trusted(), LocalDirectoryStore.under(root),
                TestCheckpoints.base());
    }

    @Test
    void validCheckpointVerifiesToItsFolder() throws Exception {
        assertThat(verifier.verify(valid, 0).folder().path())
                .isEqualTo(root.resolve("v1").toRealPath());
    }

    @Test
    void unsignedRecordIsRefusedBeforeItsUriIsTouched() {
        PolicyCheckpoint unsigned = copy(valid).setKeyId(null).setSignature(null)
                .setUri("file:///nowhere/at/all/").build();
        assertRefused(unsigned, RefusalReason.UNSIGNED).hasMessageContaining("not signed");
    }

    @Test
    void recordSignedByAnotherKeyIsRefused() {
        PolicyCheckpoint forged = TestKeys.generate().signer().sign(unsigned(valid).build());
        assertRefused(forged, RefusalReason.UNKNOWN_KEY)
                .hasMessageContaining("signed by key '" + forged.getKeyId() + "'");
    }

    @Test
    void forgedRecordWithAForeignUriIsRefusedByItsSignature() {
        PolicyCheckpoint altered = copy(valid).setUri(elsewhere.toUri().toString()).build();
        assertRefused(altered, RefusalReason.SIGNATURE)
                .hasMessageContaining("does not verify with key '" + valid.getKeyId() + "'");
        PolicyCheckpoint foreignSigner = TestKeys.generate().signer().sign(
                unsigned(valid).setUri(elsewhere.toUri().toString()).build());
        assertRefused(foreignSigner, RefusalReason.UNKNOWN_KEY);
    }

    @Test
    void signedRecordWithAUriOutsideTheStoreIsRefused() throws Exception {
        TestCheckpoints.lora(elsewhere.resolve("v1"), 1, TRAINER);
        PolicyCheckpoint outside = TRAINER.sign(unsigned(valid)
                .setUri(elsewhere.resolve("v1").toUri().toString())
                .setSha256(Sha256Manifest.digest(elsewhere.resolve("v1"))).build());
        assertRefused(outside, RefusalReason.CONFINEMENT)
                .hasMessageContaining("is outside the store root");
    }

    static Stream<String> urisLeavingTheRoot() {
        return Stream.of("file:///etc/", "file://%s/v1/../../", "file://%s/%%2e%%2e/",
                "file://%s/./v1/", "file://%s/");
    }

    @ParameterizedTest
    @MethodSource("urisLeavingTheRoot")
    void uriLeavingTheStoreRootIsRefused(String template) {
        String uri = String.format(template, root.toAbsolutePath());
        PolicyCheckpoint record = TRAINER.sign(unsigned(valid).setUri(uri).build());
        assertRefused(record, RefusalReason.CONFINEMENT);
    }

    @Test
    void symlinkedFolderLeavingTheRootIsRefused() throws Exception {
        PolicyCheckpoint outside = TestCheckpoints.lora(elsewhere.resolve("v9"), 9, TRAINER);
        Path link = Files.createSymbolicLink(root.resolve("v9"), elsewhere.resolve("v9"));
        PolicyCheckpoint viaLink = TRAINER.sign(unsigned(outside).setUri(link.toUri().toString())
                .build());
        assertRefused(viaLink, RefusalReason.CONFINEMENT)
                .hasMessageContaining("a symlink that leaves it");
    }

    @Test
    void symlinkedFileLeavingTheRootIsRefused() throws Exception {
        Path folder = root.resolve("v2-linked");
        PolicyCheckpoint record = TestCheckpoints.lora(folder, 2, TRAINER);
        Path outside = elsewhere.resolve(TestCheckpoints.ADAPTER_FILE);
        Files.move(folder.resolve(TestCheckpoints.ADAPTER_FILE), outside);
        Files.createSymbolicLink(folder.resolve(TestCheckpoints.ADAPTER_FILE), outside);
        assertRefused(record, RefusalReason.CONFINEMENT)
                .hasMessageContaining(TestCheckpoints.ADAPTER_FILE + ": resolves to "
                        + outside.toRealPath());
    }

    @Test
    void symlinkThatStaysInsideTheRootIsFollowed() throws Exception {
        Path folder = root.resolve("v3-shared");
        PolicyCheckpoint record = TestCheckpoints.lora(folder, 3, TRAINER);
        Path shared = Files.createDirectories(root.resolve("blobs")).resolve("adapter-v3");
        Files.move(folder.resolve(TestCheckpoints.ADAPTER_FILE), shared);
        Files.createSymbolicLink(folder.resolve(TestCheckpoints.ADAPTER_FILE), shared);
        assertThat(verifier.verify(record, 0).folder().files())
                .containsKey(TestCheckpoints.ADAPTER_FILE);
    }

    @Test
    void versionNotAboveTheServedOneIsRefused() {
        assertRefused(valid, 1, RefusalReason.NOT_NEWER)
                .hasMessage("checkpoint version 1: version 1 is served (versions only move"
                        + " forward)");
    }

    @Test
    void manifestRewrittenAfterPublishingIsRefused() {
        Path folder = root.resolve("v4-rewritten");
        PolicyCheckpoint checkpoint = TestCheckpoints.lora(folder, 4, TRAINER);
        TestCheckpoints.tamper(folder);
        Sha256Manifest.write(folder); // a consistent folder, but not the one announced
        assertRefused(checkpoint, RefusalReason.SHA256).hasMessageContaining("the record says "
                + checkpoint.getSha256());
    }

    @Test
    void fileAddedAfterTheManifestIsRefused() throws Exception {
        Path folder = root.resolve("v5-added");
        PolicyCheckpoint checkpoint = TestCheckpoints.lora(folder, 5, TRAINER);
        Files.writeString(folder.resolve("extra.bin"), "x");
        assertRefused(checkpoint, RefusalReason.CORRUPT)
                .hasMessageContaining("extra.bin: not listed in manifest.json");
    }

    @Test
    void folderWithoutManifestIsRefused() throws Exception {
        Path folder = root.resolve("v6-no-manifest");
        PolicyCheckpoint checkpoint = TestCheckpoints.lora(folder, 6, TRAINER);
        Files.delete(folder.resolve(Sha256Manifest.FILE));
        assertRefused(checkpoint, RefusalReason.CORRUPT)
                .hasMessageContaining("manifest.json: missing");
    }

    @Test
    void adapterForAnotherBaseModelNameIsRefused() {
        PolicyCheckpoint other = TRAINER.sign(unsigned(valid)
                .setBaseModel("meta-llama/Llama-3.2-1B").build());
        assertRefused(other, RefusalReason.BASE_MODEL).hasMessage("checkpoint version 1: a LORA"
                + " adapter for base model 'meta-llama/Llama-3.2-1B', but this service serves ["
                + TestCheckpoints.BASE + "]");
    }

    @Test
    void checkpointOfAnotherBaseModelDigestIsRefusedNamingBoth() {
        PolicyCheckpoint other = TRAINER.sign(unsigned(valid)
                .setBaseModelSha256("ab".repeat(32)).build());
        assertRefused(other, RefusalReason.BASE_MODEL).hasMessageContaining("sha256 "
                + "ab".repeat(32)).hasMessageContaining("sha256 " + TestCheckpoints.BASE_SHA256);
        PolicyCheckpoint none = TRAINER.sign(unsigned(valid).setBaseModelSha256(null).build());
        assertRefused(none, RefusalReason.BASE_MODEL).hasMessageContaining("(none recorded)");
    }

    @Test
    void adapterOfABaseModelRebuiltUnderTheSameNameIsRefused() throws Exception {
        Path base = copyOf(Path.of("../models/negotiator-tiny"), elsewhere.resolve("negotiator"));
        BaseModel before = BaseModel.of(base, Set.of("negotiator-tiny"));
        PolicyCheckpoint adapter = TRAINER.sign(unsigned(valid).setBaseModel("negotiator-tiny")
                .setBaseModelSha256(before.sha256()).build());
        // ./pipeline warmup --force: same name, same files, other weights, a new manifest
        TestCheckpoints.flipByte(base.resolve(WeightsLoader.SINGLE_FILE));
        Sha256Manifest.write(base);
        BaseModel rebuilt = BaseModel.of(base, Set.of("negotiator-tiny"));
        CheckpointVerifier afterRebuild = new CheckpointVerifier(KEYS.trusted(),
                LocalDirectoryStore.under(root), rebuilt);

        assertThat(rebuilt.sha256()).isNotEqualTo(before.sha256());
        assertThatThrownBy(() -> afterRebuild.verify(adapter, 0))
                .isInstanceOf(CheckpointRefusedException.class)
                .hasMessageContaining("with sha256 " + before.sha256())
                .hasMessageContaining("with sha256 " + rebuilt.sha256())
                .satisfies(e -> assertThat(((CheckpointRefusedException) e).reason())
                        .isEqualTo(RefusalReason.BASE_MODEL));
    }

    @Test
    void fullCheckpointIsNotBoundToTheBaseModelNameButToItsTokenizer() throws Exception {
        Path folder = root.resolve("v7-full");
        PolicyCheckpoint full = TestCheckpoints.full(folder, 7, TRAINER);
        PolicyCheckpoint renamed = TRAINER.sign(unsigned(full).setBaseModel("another").build());
        assertThat(verifier.verify(renamed, 0).folder().path()).isEqualTo(folder.toRealPath());

        Path otherTokenizer = root.resolve("v8-full");
        TestCheckpoints.full(otherTokenizer, 8, TRAINER);
        Files.writeString(otherTokenizer.resolve("tokenizer_config.json"), "{}");
        Sha256Manifest.write(otherTokenizer);
        PolicyCheckpoint foreign = TRAINER.sign(TestCheckpoints.record(8, otherTokenizer,
                CheckpointFormat.FULL));
        assertRefused(foreign, RefusalReason.TOKENIZER)
                .hasMessageContaining("not the base model's");
    }

    @Test
    void missingFolderIsRefused() {
        Path gone = root.resolve("never-written");
        PolicyCheckpoint checkpoint = TRAINER.sign(TestCheckpoints.record(3, gone,
                valid.getSha256(), CheckpointFormat.LORA, TestCheckpoints.BASE));
        assertRefused(checkpoint, RefusalReason.MISSING).hasMessageStartingWith(
                "checkpoint version 3: " + gone.toAbsolutePath() + ": no such checkpoint folder");
    }

    @Test
    void uriOfAnotherStoreIsRefused() {
        PolicyCheckpoint remote = TRAINER.sign(unsigned(valid).setUri("s3://bucket/run-1/v1")
                .build());
        assertRefused(remote, RefusalReason.URI).hasMessageContaining("only file: URIs are read");
    }

    @Test
    void relativeFileUriIsRefused() {
        PolicyCheckpoint relative = TRAINER.sign(unsigned(valid).setUri("file:checkpoints/v1")
                .build());
        assertRefused(relative, RefusalReason.URI).hasMessageContaining("'file:checkpoints/v1'");
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertRefused(
            PolicyCheckpoint checkpoint, RefusalReason reason) {
        return assertRefused(checkpoint, 0, reason);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertRefused(
            PolicyCheckpoint checkpoint, long served, RefusalReason reason) {
        return assertThatThrownBy(() -> verifier.verify(checkpoint, served))
                .isInstanceOf(CheckpointRefusedException.class)
                .satisfies(e -> assertThat(((CheckpointRefusedException) e).reason())
                        .isEqualTo(reason));
    }

    private static PolicyCheckpoint.Builder copy(PolicyCheckpoint checkpoint) {
        return PolicyCheckpoint.newBuilder(checkpoint);
    }

    /** The record without its signature, ready to be edited and signed again. */
    private static PolicyCheckpoint.Builder unsigned(PolicyCheckpoint checkpoint) {
        return copy(checkpoint).setKeyId(null).setSignature(null);
    }

    private static Path copyOf(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
        return to;
    }
}
