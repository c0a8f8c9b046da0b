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
    @WithDefault("alignment.checkpoints")
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
}
