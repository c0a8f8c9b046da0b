package ai.collectiveagency.rollout.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import ai.collectiveagency.policy.checkpoint.CheckpointLease;
import ai.collectiveagency.policy.checkpoint.CheckpointLeases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lease a replica keeps in the real store folder, as the trainer's retention reads it. */
class ReplicaLeaseTest {

    private static final Instant START = Instant.parse("2026-11-26T10:00:00Z");
    private static final Duration EXPIRY = Duration.ofSeconds(30);

    @TempDir
    Path store;

    /** A clock the test moves. */
    private static final class ManualClock extends Clock {
        private Instant now = START;

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @Test
    void theLeaseNamesWhatIsServedAndLoadedAndIsRemovedOnAStop() {
        CheckpointLeases leases = CheckpointLeases.of(store);
        ReplicaLease lease = new ReplicaLease(leases, "rollout-0", 0, EXPIRY, new ManualClock());

        lease.renew();
        assertThat(leases.all()).containsExactly(
                new CheckpointLease("rollout-0", 0, null, START.plus(EXPIRY)));
        lease.loading(7);
        assertThat(leases.all()).extracting(CheckpointLease::serving, CheckpointLease::loading)
                .containsExactly(tuple(0L, 7L));
        lease.settled(7);
        assertThat(leases.all()).extracting(CheckpointLease::serving, CheckpointLease::loading)
                .containsExactly(tuple(7L, null));

        lease.close();
        assertThat(leases.all()).isEmpty();
    }

    @Test
    void aLeaseHoldsUntilItsExpiryAndARenewalExtendsIt() {
        CheckpointLeases leases = CheckpointLeases.of(store);
        ManualClock clock = new ManualClock();
        ReplicaLease lease = new ReplicaLease(leases, "rollout-0", 3, EXPIRY, clock);
        lease.renew();

        assertThat(leases.heldAt(START.plus(EXPIRY).minusMillis(1))).hasSize(1);
        assertThat(leases.heldAt(START.plus(EXPIRY))).as("lapsed: a replica killed -9")
                .isEmpty();

        clock.now = START.plusSeconds(10);
        lease.renew();
        assertThat(leases.heldAt(START.plus(EXPIRY))).extracting(CheckpointLease::serving)
                .containsExactly(3L);
    }

    @Test
    void aStoreThisReplicaMayNotWriteIsSurvived() throws IOException {
        Files.writeString(store.resolve(CheckpointLeases.FOLDER), "a file, not a folder");
        ReplicaLease lease = new ReplicaLease(CheckpointLeases.of(store), "rollout-0", 0, EXPIRY,
                new ManualClock());

        lease.renew();
        lease.loading(2);
        lease.settled(2);
        lease.close();

        assertThat(Files.readString(store.resolve(CheckpointLeases.FOLDER)))
                .isEqualTo("a file, not a folder");
    }

    @Test
    void aDamagedLeaseFileIsIgnoredAndOthersStillCount() throws IOException {
        CheckpointLeases leases = CheckpointLeases.of(store);
        new ReplicaLease(leases, "rollout-1", 4, EXPIRY, new ManualClock()).renew();
        Files.writeString(leases.folder().resolve("rollout-2.json"), "{\"replica\":");

        assertThat(leases.heldAt(START)).extracting(CheckpointLease::replica)
                .containsExactly("rollout-1");
    }
}
