package ai.collectiveagency.rollout.checkpoint;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How the service follows the operator's pin ({@code ./pipeline fleet pin}), keys under
 * {@code rollout.control.}; followed whenever checkpoints are.
 */
@ConfigMapping(prefix = "rollout.control")
public interface FleetPinConfig {

    /** The compacted topic the operator writes signed pins on. */
    @WithDefault("${pipeline.topic-prefix}fleet-control")
    String topic();

    /**
     * PEM files (X.509) of the operators' Ed25519 public keys whose pins are trusted,
     * comma-separated. Unset: every pin is refused (and counted), the fleet follows the newest
     * checkpoint.
     */
    Optional<List<Path>> publicKeys();
}
