package ai.collectiveagency.rollout.checkpoint;

import ai.collectiveagency.selfplay.checkpoint.CheckpointStore;
import ai.collectiveagency.selfplay.checkpoint.CheckpointVerifier;
import ai.collectiveagency.selfplay.checkpoint.LocalDirectoryStore;
import ai.collectiveagency.selfplay.checkpoint.RefusalReason;
import ai.collectiveagency.selfplay.checkpoint.TestCheckpoints;
import ai.collectiveagency.selfplay.checkpoint.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import ai.collectiveagency.policy.Policy;
import ai.collectiveagency.policy.checkpoint.CheckpointLease;
import ai.collectiveagency.policy.checkpoint.CheckpointLeases;
import ai.collectiveagency.selfplay.TestTasks;
import ai.collectiveagency.rollout.serving.PolicyRunner;
import ai.collectiveagency.rollout.serving.ServedPolicy;
import ai.collectiveagency.schemas.PolicyCheckpoint;
import ai.collectiveagency.schemas.signing.CheckpointSigner;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bounded verify attempts on real files with the tiny model: a file that a slow shared file
 * system shows late is adopted on a later attempt, a folder that stays damaged is refused after
 * the last one, a bad signature at once; the replica's lease names the version while it loads.
 */
@Timeout(120)
class CheckpointVerifyAttemptsTest {

    private static final TestKeys KEYS = TestKeys.generate();
    private static final CheckpointSigner TRAINER = KEYS.signer();
    /** So long that a retry the test does not expect would hit the timeout. */
    private static final Duration NEVER = Duration.ofDays(1);

    @TempDir
    Path dir;

    private PolicyRunner runner;
    private CheckpointMetrics metrics;

    /** The real store; before each lookup after the first, runs {@code beforeLookup}. */
    private class SlowStore implements CheckpointStore {
        private final LocalDirectoryStore store = LocalDirectoryStore.under(dir);
        private final List<Runnable> beforeLookup = new ArrayList<>();
        private int lookups;

        @Override
        public Path folder(URI uri) {
            if (lookups > 0 && lookups <= beforeLookup.size()) {
                beforeLookup.get(lookups - 1).run();
            }
            lookups++;
            return store.folder(uri);
        }

        @Override
        public Path root() {
            return store.root();
        }
    }

    @BeforeEach
    void serveBaseModel() {
        runner = new PolicyRunner(new ServedPolicy(Policy.load(TestTasks.MODEL), 0,
                TestCheckpoints.BASE));
        metrics = new CheckpointMetrics(new SimpleMeterRegistry());
    }

    @AfterEach
    void close() throws InterruptedException {
        runner.close();
    }

    private CheckpointAdopter adopter(CheckpointStore store, VerifyAttempts attempts,
            AdoptionListener listener) {
        return new CheckpointAdopter(runner, new CheckpointVerifier(KEYS.trusted(), store,
                TestCheckpoints.base()), metrics, attempts, listener);
    }

    private static void move(Path from, Path to) {
        try {
            Files.move(from, to);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aFileThatAppearsAfterTheFirstAttemptIsAdopted() {
        Path folder = dir.resolve("v000001");
        PolicyCheckpoint checkpoint = TestCheckpoints.lora(folder, 1, TRAINER);
        Path weights = folder.resolve(TestCheckpoints.ADAPTER_FILE);
        Path elsewhere = dir.resolve("in-flight");
        move(weights, elsewhere); // announced before the shared file system shows the file
        SlowStore store = new SlowStore();
        store.beforeLookup.add(() -> move(elsewhere, weights));
        List<String> heard = new ArrayList<>();

        boolean adopted = adopter(store, new VerifyAttempts(3, Duration.ofMillis(10)),
                new AdoptionListener() {
                    @Override
                    public void loading(long version) {
                        heard.add("loading " + version);
                    }

                    @Override
                    public void settled(long servedVersion) {
                        heard.add("serving " + servedVersion);
                    }
                }).adopt(checkpoint);

        assertThat(adopted).isTrue();
        assertThat(runner.current().version()).isEqualTo(1);
        assertThat(store.lookups).isEqualTo(2);
        assertThat(metrics.refusedCount(RefusalReason.CORRUPT)).isZero();
        assertThat(heard).containsExactly("loading 1", "serving 1");
    }

    @Test
    void aFolderThatStaysDamagedIsRefusedAfterTheLastAttempt() {
        Path folder = dir.resolve("v000001");
        PolicyCheckpoint tampered = TestCheckpoints.lora(folder, 1, TRAINER);
        TestCheckpoints.tamper(folder);
        SlowStore store = new SlowStore();

        assertThat(adopter(store, new VerifyAttempts(3, Duration.ofMillis(10)),
                AdoptionListener.NONE).adopt(tampered)).isFalse();
        assertThat(store.lookups).isEqualTo(3);
        assertThat(metrics.refusedCount(RefusalReason.CORRUPT)).isEqualTo(1);
        assertThat(runner.current().version()).isZero();
    }

    @Test
    void aBadSignatureIsRefusedAtOnce() {
        PolicyCheckpoint genuine = TestCheckpoints.lora(dir.resolve("v000002"), 2, TRAINER);
        PolicyCheckpoint forged = PolicyCheckpoint.newBuilder(genuine).setStep(999).build();

        assertThat(adopter(new SlowStore(), new VerifyAttempts(3, NEVER),
                AdoptionListener.NONE).adopt(forged)).isFalse();
        assertThat(metrics.refusedCount(RefusalReason.SIGNATURE)).isEqualTo(1);
    }

    @Test
    void theReplicasLeaseNamesTheVersionWhileItIsLoaded() {
        PolicyCheckpoint checkpoint = TestCheckpoints.lora(dir.resolve("v000003"), 3, TRAINER);
        CheckpointLeases leases = CheckpointLeases.of(dir);
        ReplicaLease lease = new ReplicaLease(leases, "rollout-0", 0, Duration.ofSeconds(30),
                Clock.systemUTC());
        List<CheckpointLease> seenWhileLoading = new ArrayList<>();
        SlowStore store = new SlowStore() {
            @Override
            public Path folder(URI uri) {
                seenWhileLoading.addAll(leases.all());
                return super.folder(uri);
            }
        };

        assertThat(adopter(store, VerifyAttempts.ONCE, lease).adopt(checkpoint)).isTrue();
        assertThat(seenWhileLoading).extracting(CheckpointLease::loading).containsExactly(3L);
        assertThat(leases.all()).extracting(CheckpointLease::serving, CheckpointLease::loading)
                .containsExactly(tuple(3L, null));
    }
}
