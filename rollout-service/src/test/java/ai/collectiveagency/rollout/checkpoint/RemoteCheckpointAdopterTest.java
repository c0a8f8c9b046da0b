package ai.collectiveagency.rollout.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import ai.collectiveagency.policy.Policy;
import ai.collectiveagency.rollout.remote.RemoteEngines;
import ai.collectiveagency.rollout.remote.ScriptedEngine;
import ai.collectiveagency.rollout.serving.PolicyRunner;
import ai.collectiveagency.rollout.serving.ServedPolicy;
import ai.collectiveagency.schemas.PolicyCheckpoint;
import ai.collectiveagency.schemas.signing.CheckpointSigner;
import ai.collectiveagency.selfplay.TestTasks;
import ai.collectiveagency.selfplay.checkpoint.BaseModel;
import ai.collectiveagency.selfplay.checkpoint.CheckpointVerifier;
import ai.collectiveagency.selfplay.checkpoint.LocalDirectoryStore;
import ai.collectiveagency.selfplay.checkpoint.RefusalReason;
import ai.collectiveagency.selfplay.checkpoint.TestCheckpoints;
import ai.collectiveagency.selfplay.checkpoint.TestKeys;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adoption with {@code rollout.generation=remote}: a verified LORA checkpoint is loaded on the
 * engines (a real HTTP server speaking vLLM's runtime LoRA protocol) from its folder and then
 * served; the policy in this process is left as it is; FULL checkpoints, tampered folders and
 * loads the engines refuse are refused with their reasons and the served version stays.
 */
class RemoteCheckpointAdopterTest {

    private static final TestKeys KEYS = TestKeys.generate();
    private static final CheckpointSigner TRAINER = KEYS.signer();
    private static final BaseModel BASE = TestCheckpoints.base();

    @TempDir
    Path dir;

    private PolicyRunner runner;
    private ScriptedEngine engine;
    private RemoteEngines remote;
    private CheckpointMetrics metrics;
    private CheckpointAdopter adopter;

    private void start(ScriptedEngine.Script script) throws IOException {
        engine = new ScriptedEngine(script);
        remote = new RemoteEngines(new RemoteEngines.Settings(List.of(engine.baseUrl()),
                Optional.empty(), TestCheckpoints.BASE, Duration.ofSeconds(10), 0,
                Duration.ZERO, 4, Duration.ofMinutes(10)), new ObjectMapper());
        runner = new PolicyRunner(new ServedPolicy(Policy.load(TestTasks.MODEL), 0,
                TestCheckpoints.BASE));
        metrics = new CheckpointMetrics(new SimpleMeterRegistry());
        adopter = new CheckpointAdopter(runner, new CheckpointVerifier(KEYS.trusted(),
                LocalDirectoryStore.under(dir), BASE), metrics, VerifyAttempts.ONCE,
                AdoptionListener.NONE, remote);
    }

    @AfterEach
    void close() throws InterruptedException {
        if (runner != null) {
            runner.close();
        }
        if (remote != null) {
            remote.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void aLoraCheckpointIsLoadedOnTheEnginesAndServedThere() throws IOException {
        start(ScriptedEngine.standard(1));
        Policy local = runner.current().policy();

        List<PolicyCheckpoint> adopted = new ArrayList<>();
        for (int version = 1; version <= 4; version++) {
            PolicyCheckpoint checkpoint = TestCheckpoints.lora(dir.resolve("v" + version),
                    version, TRAINER);
            assertThat(adopter.adopt(checkpoint)).isTrue();
            adopted.add(checkpoint);
        }
        // named by version and manifest digest; the three served last stay loaded
        List<String> names = adopted.stream().map(c -> "policy-v" + c.getVersion() + "-"
                + c.getSha256().substring(0, 12)).toList();
        assertThat(engine.calls()).extracting(call -> call.path(),
                call -> call.body().path("lora_name").asText()).containsExactly(
                        tuple("/v1/load_lora_adapter", names.get(0)),
                        tuple("/v1/load_lora_adapter", names.get(1)),
                        tuple("/v1/load_lora_adapter", names.get(2)),
                        tuple("/v1/load_lora_adapter", names.get(3)),
                        tuple("/v1/unload_lora_adapter", names.get(0)));
        assertThat(engine.calls().get(0).body().path("lora_path").asText())
                .isEqualTo(dir.resolve("v1").toString());
        assertThat(remote.currentModel()).isEqualTo(names.get(3));
        assertThat(runner.current().version()).isEqualTo(4);
        assertThat(runner.current().policy()).isSameAs(local);
        assertThat(local.model().adapter()).as("the engines sample, not this process")
                .isNull();
        assertThat(metrics.adoptedCount()).isEqualTo(4);
    }

    @Test
    void aFullCheckpointIsRefusedAsFormatWithoutCallingTheEngines() throws IOException {
        start(ScriptedEngine.standard(1));

        assertThat(adopter.adopt(TestCheckpoints.full(dir.resolve("v1"), 1, TRAINER))).isFalse();

        assertThat(metrics.refusedCount(RefusalReason.FORMAT)).isEqualTo(1);
        assertThat(engine.calls()).isEmpty();
        assertThat(runner.current().version()).isZero();
        assertThat(remote.currentModel()).isEqualTo(TestCheckpoints.BASE);
    }

    @Test
    void anAdapterNoEngineAnswersForIsRefusedAsEngineUnavailable() throws IOException {
        start(ScriptedEngine.standard(1));
        engine.close(); // nothing listens any more: an engine restarting

        assertThat(adopter.adopt(TestCheckpoints.lora(dir.resolve("v1"), 1, TRAINER))).isFalse();

        assertThat(metrics.refusedCount(RefusalReason.ENGINE_UNAVAILABLE)).isEqualTo(1);
        assertThat(runner.current().version()).isZero();
        assertThat(remote.currentModel()).isEqualTo(TestCheckpoints.BASE);
    }

    @Test
    void aTamperedAdapterNeverReachesTheEngines() throws IOException {
        start(ScriptedEngine.standard(1));
        PolicyCheckpoint tampered = TestCheckpoints.lora(dir.resolve("v1"), 1, TRAINER);
        TestCheckpoints.tamper(dir.resolve("v1"));

        assertThat(adopter.adopt(tampered)).isFalse();

        assertThat(metrics.refusedCount(RefusalReason.CORRUPT)).isEqualTo(1);
        assertThat(engine.calls()).isEmpty();
    }

    @Test
    void anAdapterTheEnginesCannotLoadIsRefusedAsLoadAndTheServedVersionStays()
            throws IOException {
        start(call -> ScriptedEngine.error(400, "Loading lora policy-v1 failed"));

        assertThat(adopter.adopt(TestCheckpoints.lora(dir.resolve("v1"), 1, TRAINER))).isFalse();

        assertThat(metrics.refusedCount(RefusalReason.LOAD)).isEqualTo(1);
        assertThat(runner.current().version()).isZero();
        assertThat(remote.currentModel()).isEqualTo(TestCheckpoints.BASE);
    }
}
