package ai.collectiveagency.rollout.checkpoint;

import ai.collectiveagency.selfplay.checkpoint.BaseModel;
import ai.collectiveagency.selfplay.checkpoint.CheckpointVerifier;
import ai.collectiveagency.selfplay.checkpoint.LocalDirectoryStore;
import ai.collectiveagency.selfplay.checkpoint.RefusalReason;
import ai.collectiveagency.selfplay.checkpoint.TestCheckpoints;
import ai.collectiveagency.selfplay.checkpoint.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.policy.Policy;
import ai.collectiveagency.policy.checkpoint.Sha256Manifest;
import ai.collectiveagency.policy.lora.LoraAdapter;
import ai.collectiveagency.selfplay.TestTasks;
import ai.collectiveagency.rollout.serving.PolicyRunner;
import ai.collectiveagency.rollout.serving.ServedPolicy;
import ai.collectiveagency.schemas.CheckpointFormat;
import ai.collectiveagency.schemas.PolicyCheckpoint;
import ai.collectiveagency.schemas.signing.CheckpointSigner;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Adoption on a real runner with the tiny model: forward only, refusals keep what is served. */
class CheckpointAdopterTest {

    private static final TestKeys KEYS = TestKeys.generate();
    private static final CheckpointSigner TRAINER = KEYS.signer();
    private static final BaseModel BASE = TestCheckpoints.base();

    @TempDir
    Path dir;

    private PolicyRunner runner;
    private CheckpointMetrics metrics;
    private CheckpointAdopter adopter;

    @BeforeEach
    void serveBaseModel() {
        runner = new PolicyRunner(new ServedPolicy(Policy.load(TestTasks.MODEL), 0,
                TestCheckpoints.BASE));
        metrics = new CheckpointMetrics(new SimpleMeterRegistry());
        adopter = new CheckpointAdopter(runner, new CheckpointVerifier(KEYS.trusted(),
                LocalDirectoryStore.under(dir), BASE), metrics);
    }

    @AfterEach
    void close() throws InterruptedException {
        runner.close();
    }

    @Test
    void loraCheckpointIsInstalledOnTheBaseModel() {
        Policy base = runner.current().policy();
        assertThat(adopter.adopt(TestCheckpoints.lora(dir.resolve("v1"), 1, TRAINER))).isTrue();
        assertThat(runner.current().version()).isEqualTo(1);
        assertThat(runner.current().policy()).isSameAs(base);
        assertThat(base.model().adapter()).isInstanceOf(LoraAdapter.class);
        assertThat(metrics.adoptedCount()).isEqualTo(1);
    }

    @Test
    void nextAdapterReplacesThePreviousOne() {
        adopter.adopt(TestCheckpoints.lora(dir.resolve("v1"), 1, TRAINER));
        Object first = runner.current().policy().model().adapter();
        assertThat(adopter.adopt(TestCheckpoints.lora(dir.resolve("v2"), 2, TRAINER))).isTrue();
        assertThat(runner.current().policy().model().adapter()).isNotSameAs(first);
        assertThat(runner.current().version()).isEqualTo(2);
    }

    @Test
    void versionNotNewerThanTheServedOneIsRefusedAndCounted() {
        adopter.adopt(TestCheckpoints.lora(dir.resolve("v2"), 2, TRAINER));
        assertThat(adopter.adopt(TestCheckpoints.lora(dir.resolve("v1"), 1, TRAINER))).isFalse();
        assertThat(adopter.adopt(TestCheckpoints.lora(dir.resolve("v2b"), 2, TRAINER))).isFalse();
        assertThat(runner.current().version()).isEqualTo(2);
        assertThat(metrics.adoptedCount()).isEqualTo(1);
        assertThat(metrics.refusedCount(RefusalReason.NOT_NEWER)).isEqualTo(2);
    }

    @Test
    void recordsClaimingVersionLongMaxValueDoNotBlockLaterCheckpoints() {
        Path folder = dir.resolve("max");
        PolicyCheckpoint genuine = TestCheckpoints.lora(folder, 1, TRAINER);
        PolicyCheckpoint unsigned = PolicyCheckpoint.newBuilder(genuine).setKeyId(null)
                .setSignature(null).setVersion(Long.MAX_VALUE).build();
        PolicyCheckpoint otherKey = TestKeys.generate().signer().sign(PolicyCheckpoint
                .newBuilder(unsigned).build());
        PolicyCheckpoint resigned = PolicyCheckpoint.newBuilder(genuine)
                .setVersion(Long.MAX_VALUE).build(); // the trainer's signature, another version

        assertThat(adopter.adoptNewest(List.of(unsigned, otherKey, resigned))).isEmpty();
        assertThat(adopter.adopt(TestCheckpoints.lora(dir.resolve("v2"), 2, TRAINER))).isTrue();
        assertThat(runner.current().version()).isEqualTo(2);
        assertThat(metrics.refusedCount(RefusalReason.UNSIGNED)).isEqualTo(1);
        assertThat(metrics.refusedCount(RefusalReason.UNKNOWN_KEY)).isEqualTo(1);
        assertThat(metrics.refusedCount(RefusalReason.SIGNATURE)).isEqualTo(1);
    }

    @Test
    void tamperedCheckpointIsRefusedAndTheServedVersionStays() {
        adopter.adopt(TestCheckpoints.lora(dir.resolve("v1"), 1, TRAINER));
        PolicyCheckpoint tampered = TestCheckpoints.lora(dir.resolve("v2"), 2, TRAINER);
        TestCheckpoints.tamper(dir.resolve("v2"));
        assertThat(adopter.adopt(tampered)).isFalse();
        assertThat(runner.current().version()).isEqualTo(1);
        assertThat(metrics.refusedCount(RefusalReason.CORRUPT)).isEqualTo(1);
    }

    @Test
    void newestValidCheckpointIsAdoptedWhenANewerOneIsRefused() {
        PolicyCheckpoint v1 = TestCheckpoints.lora(dir.resolve("v1"), 1, TRAINER);
        PolicyCheckpoint v2 = TestCheckpoints.lora(dir.resolve("v2"), 2, TRAINER);
        PolicyCheckpoint v3 = TestCheckpoints.lora(dir.resolve("v3"), 3, TRAINER);
        TestCheckpoints.tamper(dir.resolve("v3"));
        assertThat(adopter.adoptNewest(List.of(v1, v3, v2))).hasValue(2);
        assertThat(runner.current().version()).isEqualTo(2);
        assertThat(metrics.refusedCount(RefusalReason.CORRUPT)).isEqualTo(1);
    }

    @Test
    void adapterThatDoesNotFitTheModelIsRefusedAsLoadError() throws Exception {
        Path folder = dir.resolve("v1");
        TestCheckpoints.lora(folder, 1, TRAINER);
        // a consistent, verified folder whose config claims rank 8 for rank-4 tensors
        Path config = folder.resolve("adapter_config.json");
        Files.writeString(config, Files.readString(config)
                .replaceFirst("\"r\"\\s*:\\s*4", "\"r\": 8"));
        Sha256Manifest.write(folder);
        PolicyCheckpoint broken = TRAINER.sign(TestCheckpoints.record(1, folder,
                CheckpointFormat.LORA));
        assertThat(adopter.adopt(broken)).isFalse();
        assertThat(metrics.refusedCount(RefusalReason.LOAD)).isEqualTo(1);
        assertThat(runner.current().version()).isZero();
    }

    @Test
    void fullCheckpointReplacesThePolicyAndThenRefusesAdapters() {
        Policy base = runner.current().policy();
        PolicyCheckpoint full = TestCheckpoints.full(dir.resolve("v1"), 1, TRAINER);
        assertThat(adopter.adopt(full)).isTrue();
        assertThat(runner.current().policy()).isNotSameAs(base);
        assertThat(runner.current().modelName()).isEqualTo(TestCheckpoints.BASE);
        int[] sampled = runner.submit(p -> p.policy().encode("river")).join();
        assertThat(sampled).isNotEmpty();

        assertThat(adopter.adopt(TestCheckpoints.lora(dir.resolve("v2"), 2, TRAINER))).isFalse();
        assertThat(metrics.refusedCount(RefusalReason.FORMAT)).isEqualTo(1);
        assertThat(runner.current().version()).isEqualTo(1);
    }
}
