package ai.collectiveagency.rollout.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The retry and lease settings on the real config mapping. */
class CheckpointConfigChecksTest {

    private static CheckpointConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().withMapping(CheckpointConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(new HashMap<>(properties), "test", 100))
                .build().getConfigMapping(CheckpointConfig.class);
    }

    @Test
    void theDefaultsPass() {
        CheckpointConfig config = config(Map.of());

        assertThat(CheckpointConfigChecks.problems(config)).isEmpty();
        assertThat(config.verifyAttempts()).isEqualTo(3);
        assertThat(config.leaseExpiry()).isEqualTo(config.leaseRenewInterval().multipliedBy(3));
    }

    @Test
    void everyBadValueIsNamedWithItsKey() {
        CheckpointConfig config = config(Map.of("rollout.checkpoints.verify-attempts", "0",
                "rollout.checkpoints.verify-backoff", "-1s",
                "rollout.checkpoints.lease-renew-interval", "30s",
                "rollout.checkpoints.lease-expiry", "30s"));

        assertThat(CheckpointConfigChecks.problems(config)).containsExactlyInAnyOrder(
                "rollout.checkpoints.verify-attempts must be >= 1, was 0",
                "rollout.checkpoints.verify-backoff must be >= 0, was PT-1S",
                "rollout.checkpoints.lease-expiry must be longer than"
                        + " rollout.checkpoints.lease-renew-interval (PT30S), was PT30S");
    }
}
