package ai.collectiveagency.rollout.checkpoint;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** How the service follows the checkpoints topic, keys under {@code rollout.checkpoints.}. */
@ConfigMapping(prefix = "rollout.checkpoints")
public interface CheckpointConfig {

    /**
     * Whether to follow the trainer's checkpoints; needs {@link #publicKeys()} and
     * {@link #storeRoot()}. Off by default: the base model is served for good.
     */
    @WithDefault("false")
    boolean enabled();

    /** The compacted topic the trainer announces checkpoints on. */
    @WithDefault("${pipeline.topic-prefix}checkpoints")
    String topic();

    /**
     * How long start-up may wait for the broker and the newest checkpoint before serving the
     * base model (the follower keeps trying afterwards). Loading the checkpoint is not counted.
     */
    @WithDefault("30s")
    Duration startupTimeout();

    /** Longest wait of one poll for new checkpoints. */
    @WithDefault("1s")
    Duration pollInterval();

    /**
     * PEM files (X.509) of the Ed25519 public keys whose signatures are trusted, comma-separated
     * (two during a key rotation); required while enabled.
     */
    Optional<List<Path>> publicKeys();

    /**
     * The directory every checkpoint folder must lie in: the trainer's {@code trainer.store} as
     * mounted here; required while enabled.
     */
    Optional<Path> storeRoot();

    /**
     * How often a checkpoint whose files are missing or do not match their digests is verified
     * and loaded, in all, before it is refused for good: a shared file system may show a
     * folder before all its bytes. Refusals that timing cannot explain (the signature, the
     * version, the base model, the URI) are never retried.
     */
    @WithDefault("3")
    int verifyAttempts();

    /** The wait before the second attempt; it doubles before each further one. */
    @WithDefault("1s")
    Duration verifyBackoff();

    /**
     * How often this replica renews its lease in {@code <store-root>/.leases/}, which tells the
     * trainer's retention which versions it serves and loads.
     */
    @WithDefault("10s")
    Duration leaseRenewInterval();

    /**
     * How long a lease holds unless renewed (3x the renew interval by default): a replica
     * killed without a clean stop protects its versions this much longer. Longer than
     * {@link #leaseRenewInterval()}, and well above the clock skew between machines.
     */
    @WithDefault("30s")
    Duration leaseExpiry();

    /**
     * How long the follower may hold announced checkpoints without finishing them (verifying,
     * loading, retries included) before liveness reports it stalled.
     */
    @WithDefault("10m")
    Duration stallAfter();
}
