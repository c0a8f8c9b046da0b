package ai.collectiveagency.rollout.checkpoint;

import ai.collectiveagency.selfplay.checkpoint.RefusalReason;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;

/**
 * The checkpoint meters, in Prometheus as {@code rollout_checkpoints_adopted_total},
 * {@code rollout_checkpoints_refused_total{reason}}, {@code rollout_checkpoint_load_seconds}
 * (verify and load, in the background) and {@code rollout_checkpoint_swap_seconds} (from loaded
 * to installed: the wait for the running batch plus the swap itself). The version served is
 * {@code rollout_policy_version}.
 */
public final class CheckpointMetrics {

    private final Counter adopted;
    private final Map<RefusalReason, Counter> refused = new EnumMap<>(RefusalReason.class);
    private final Timer load;
    private final Timer swap;

    public CheckpointMetrics(MeterRegistry registry) {
        adopted = Counter.builder("rollout.checkpoints.adopted")
                .description("Checkpoints verified, loaded and serving").register(registry);
        for (RefusalReason reason : RefusalReason.values()) {
            refused.put(reason, Counter.builder("rollout.checkpoints.refused")
                    .tag("reason", reason.tag())
                    .description("Checkpoints refused, by reason").register(registry));
        }
        load = Timer.builder("rollout.checkpoint.load")
                .description("Time to verify and load a checkpoint, off the policy worker")
                .register(registry);
        swap = Timer.builder("rollout.checkpoint.swap")
                .description("Time from a loaded checkpoint to serving it (waits for the batch"
                        + " running)")
                .register(registry);
    }

    void adopted() {
        adopted.increment();
    }

    void refused(RefusalReason reason) {
        refused.get(reason).increment();
    }

    Timer load() {
        return load;
    }

    Timer swap() {
        return swap;
    }

    /** Checkpoints refused for {@code reason} since start. */
    public double refusedCount(RefusalReason reason) {
        return refused.get(reason).count();
    }

    /** Checkpoints adopted since start. */
    public double adoptedCount() {
        return adopted.count();
    }
}
