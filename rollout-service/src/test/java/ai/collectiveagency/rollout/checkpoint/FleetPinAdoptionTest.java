package ai.collectiveagency.rollout.checkpoint;

import ai.collectiveagency.selfplay.checkpoint.CheckpointVerifier;
import ai.collectiveagency.selfplay.checkpoint.LocalDirectoryStore;
import ai.collectiveagency.selfplay.checkpoint.RefusalReason;
import ai.collectiveagency.selfplay.checkpoint.TestCheckpoints;
import ai.collectiveagency.selfplay.checkpoint.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.policy.Policy;
import ai.collectiveagency.selfplay.TestTasks;
import ai.collectiveagency.rollout.serving.PolicyRunner;
import ai.collectiveagency.rollout.serving.ServedPolicy;
import ai.collectiveagency.schemas.CheckpointFormat;
import ai.collectiveagency.schemas.FleetPin;
import ai.collectiveagency.schemas.PolicyCheckpoint;
import ai.collectiveagency.schemas.signing.CheckpointSigner;
import ai.collectiveagency.schemas.signing.Ed25519Keys;
import ai.collectiveagency.schemas.signing.FleetPinSigner;
import ai.collectiveagency.schemas.signing.TrustedKeys;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pin on a real runner with the tiny model and real LoRA checkpoints: a signed pin serves
 * its version (a lower one too) and holds off newer ones, an unpin adopts the newest, and a pin
 * that is not authentic or cannot be served changes nothing it should not.
 */
class FleetPinAdoptionTest {

    private static final TestKeys KEYS = TestKeys.generate();
    private static final CheckpointSigner TRAINER = KEYS.signer();
    private static final KeyPair OPERATOR = Ed25519Keys.generate();
    private static final FleetPinSigner OPERATOR_SIGNER =
            new FleetPinSigner(OPERATOR.getPrivate());
    private static final Optional<TrustedKeys> OPERATORS =
            Optional.of(new TrustedKeys(List.of(OPERATOR.getPublic())));

    @TempDir
    static Path store;
    private static PolicyCheckpoint v1;
    private static PolicyCheckpoint v2;
    private static PolicyCheckpoint v3;

    private PolicyRunner runner;
    private CheckpointMetrics checkpointMetrics;
    private FleetPinMetrics metrics;

    @BeforeAll
    static void saveCheckpoints() {
        v1 = TestCheckpoints.lora(store.resolve("v1"), 1, TRAINER);
        v2 = TestCheckpoints.lora(store.resolve("v2"), 2, TRAINER);
        v3 = TestCheckpoints.lora(store.resolve("v3"), 3, TRAINER);
    }

    @BeforeEach
    void serveBaseModel() {
        runner = new PolicyRunner(new ServedPolicy(Policy.load(TestTasks.MODEL), 0,
                TestCheckpoints.BASE));
        checkpointMetrics = new CheckpointMetrics(new SimpleMeterRegistry());
        metrics = new FleetPinMetrics(new SimpleMeterRegistry());
    }

    @AfterEach
    void close() throws InterruptedException {
        runner.close();
    }

    private FleetPinAdoption adoption(Optional<TrustedKeys> operators) {
        CheckpointAdopter adopter = new CheckpointAdopter(runner, new CheckpointVerifier(
                KEYS.trusted(), LocalDirectoryStore.under(store), TestCheckpoints.base()),
                checkpointMetrics);
        return new FleetPinAdoption(adopter, () -> runner.current().version(), operators,
                metrics);
    }

    private static FleetPin pin(long version) {
        return OPERATOR_SIGNER.sign(FleetPin.newBuilder().setPinned(true).setVersion(version)
                .setIssuedAt(Instant.now()).setIssuer("test").setReason("v3 is bad").build());
    }

    private static FleetPin unpin() {
        return OPERATOR_SIGNER.sign(FleetPin.newBuilder().setPinned(false)
                .setIssuedAt(Instant.now()).setIssuer("test").build());
    }

    private long served() {
        return runner.current().version();
    }

    @Test
    void pinToALowerVersionServesItAndHoldsOffNewerOnesUntilUnpinned() {
        FleetPinAdoption adoption = adoption(OPERATORS);
        adoption.start(List.of(v1, v2), List.of());
        assertThat(served()).isEqualTo(2);

        adoption.controlled(List.of(pin(1)));
        assertThat(served()).isEqualTo(1);
        assertThat(metrics.pinnedVersion()).isEqualTo(1);

        adoption.announced(List.of(v3));
        assertThat(served()).as("newer announcement while pinned").isEqualTo(1);

        adoption.controlled(List.of(unpin()));
        assertThat(served()).as("the newest announced after the unpin").isEqualTo(3);
        assertThat(metrics.pinnedVersion()).isEqualTo(FleetPinMetrics.NOT_PINNED);
    }

    @Test
    void pinReadAtStartUpIsServedInsteadOfTheNewest() {
        FleetPinAdoption adoption = adoption(OPERATORS);
        adoption.start(List.of(v1, v2, v3), List.of(pin(3), pin(2)));

        assertThat(served()).isEqualTo(2);
        assertThat(checkpointMetrics.adoptedCount()).as("v3 never loaded on the way").isOne();
    }

    @Test
    void pinToAVersionNotYetAnnouncedIsRefusedThenServedWhenItArrives() {
        FleetPinAdoption adoption = adoption(OPERATORS);
        adoption.start(List.of(v1), List.of());
        adoption.controlled(List.of(pin(3)));
        assertThat(metrics.refusedCount(PinRefusal.NOT_ANNOUNCED)).isOne();
        assertThat(served()).isEqualTo(1);

        adoption.announced(List.of(v2));
        assertThat(served()).as("v2 is not the pinned version").isEqualTo(1);
        adoption.announced(List.of(v3));
        assertThat(served()).isEqualTo(3);
    }

    @Test
    void pinToACheckpointGoneFromTheStoreKeepsServingWhatIsServed() {
        PolicyCheckpoint gone = TestCheckpoints.record(1, store.resolve("v1"),
                CheckpointFormat.LORA);
        PolicyCheckpoint elsewhere = TRAINER.sign(PolicyCheckpoint.newBuilder(gone)
                .setVersion(4).setUri(store.resolve("v4-deleted").toUri().toString()).build());
        FleetPinAdoption adoption = adoption(OPERATORS);
        adoption.start(List.of(elsewhere, v2), List.of());
        assertThat(served()).isEqualTo(2);

        adoption.controlled(List.of(pin(4)));
        assertThat(served()).isEqualTo(2);
        assertThat(metrics.refusedCount(PinRefusal.NOT_LOADED)).isOne();
        assertThat(checkpointMetrics.refusedCount(RefusalReason.MISSING))
                .as("at start-up, as the newest, and for the pin").isEqualTo(2);
    }

    @Test
    void pinsThatAreNotAuthenticAreRefusedAndChangeNothing() {
        FleetPinAdoption adoption = adoption(OPERATORS);
        adoption.start(List.of(v1, v2), List.of());
        FleetPin unsigned = FleetPin.newBuilder(pin(1)).setSignature(null).build();
        FleetPin byAnother = new FleetPinSigner(Ed25519Keys.generate().getPrivate()).sign(
                FleetPin.newBuilder(pin(1)).build());
        FleetPin altered = FleetPin.newBuilder(pin(2)).setVersion(1L).build();

        adoption.controlled(List.of(unsigned, byAnother, altered));

        assertThat(served()).isEqualTo(2);
        assertThat(metrics.pinnedVersion()).isEqualTo(FleetPinMetrics.NOT_PINNED);
        assertThat(metrics.refusedCount(PinRefusal.UNSIGNED)).isOne();
        assertThat(metrics.refusedCount(PinRefusal.UNKNOWN_KEY)).isOne();
        assertThat(metrics.refusedCount(PinRefusal.SIGNATURE)).isOne();
    }

    @Test
    void withoutOperatorKeysEveryPinIsRefused() {
        FleetPinAdoption adoption = adoption(Optional.empty());
        adoption.start(List.of(v1, v2), List.of(pin(1)));
        adoption.controlled(List.of(pin(1)));

        assertThat(served()).isEqualTo(2);
        assertThat(metrics.refusedCount(PinRefusal.NO_KEYS)).isEqualTo(2);
    }
}
