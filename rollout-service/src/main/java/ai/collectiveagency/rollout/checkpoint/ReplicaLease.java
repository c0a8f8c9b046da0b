package ai.collectiveagency.rollout.checkpoint;

import ai.collectiveagency.policy.checkpoint.CheckpointLease;
import ai.collectiveagency.policy.checkpoint.CheckpointLeases;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

/**
 * This replica's lease in the checkpoint store ({@link CheckpointLeases}): the version it serves
 * and the one it is loading, written when either changes (before a loading version's files are
 * read) and renewed by {@link #renew()} every {@code rollout.checkpoints.lease-renew-interval},
 * holding for {@code lease-expiry}; removed on a clean stop. A store root this replica may not
 * write is logged once and the replica carries on: the trainer's retention then keeps only its
 * newest and pinned versions for it.
 */
final class ReplicaLease implements AdoptionListener, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ReplicaLease.class.getName());

    private final CheckpointLeases leases;
    private final String replica;
    private final Duration expiry;
    private final Clock clock;
    private long serving;
    private Long loading;
    private boolean failing;

    ReplicaLease(CheckpointLeases leases, String replica, long serving, Duration expiry,
            Clock clock) {
        this.leases = leases;
        this.replica = replica;
        this.serving = serving;
        this.expiry = expiry;
        this.clock = clock;
    }

    @Override
    public synchronized void loading(long version) {
        loading = version;
        renew();
    }

    @Override
    public synchronized void settled(long servedVersion) {
        serving = servedVersion;
        loading = null;
        renew();
    }

    /** Writes the lease again, holding for another {@code expiry} from now. */
    synchronized void renew() {
        try {
            leases.write(new CheckpointLease(replica, serving, loading,
                    clock.instant().plus(expiry)));
            if (failing) {
                LOG.log(System.Logger.Level.INFO, "checkpoint lease " + replica + " written to "
                        + leases.folder() + " again");
                failing = false;
            }
        } catch (IOException | RuntimeException e) {
            if (!failing) {
                LOG.log(System.Logger.Level.WARNING, "cannot write checkpoint lease " + replica
                        + " in " + leases.folder() + " (" + e + "); serving on without it: the"
                        + " trainer's retention keeps only its newest and pinned versions for"
                        + " this replica (logged once)");
                failing = true;
            }
        }
    }

    /** Removes the lease: this replica no longer holds any version. */
    @Override
    public synchronized void close() {
        try {
            leases.remove(replica);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot remove checkpoint lease " + replica
                    + " from " + leases.folder() + " (" + e + "); it lapses on its own");
        }
    }
}
