package ai.collectiveagency.rollout.checkpoint;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How the service follows the checkpoints topic, keys under {@code rollout.checkpoints.}. */
@ConfigMapping(prefix = "rollout.checkpoints")
public interface CheckpointConfig {

    /** Whether to adopt checkpoints at all; false serves the base model for good. */
    @WithDefault("true")
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
}
