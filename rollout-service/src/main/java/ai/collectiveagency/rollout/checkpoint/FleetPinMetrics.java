package ai.collectiveagency.rollout.checkpoint;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pin's meters, in Prometheus as {@code rollout_policy_pinned} (the version the fleet is
 * pinned to, -1 when not pinned) and {@code rollout_pins_refused_total{reason}}.
 */
public final class FleetPinMetrics {

    /** The value of {@code rollout_policy_pinned} while the fleet is not pinned. */
    public static final long NOT_PINNED = -1;

    private final AtomicLong pinned = new AtomicLong(NOT_PINNED);
    private final Map<PinRefusal, Counter> refused = new EnumMap<>(PinRefusal.class);

    public FleetPinMetrics(MeterRegistry registry) {
        Gauge.builder("rollout.policy.pinned", pinned, AtomicLong::get)
                .description("The policy version the fleet is pinned to; -1: not pinned")
                .register(registry);
        for (PinRefusal reason : PinRefusal.values()) {
            refused.put(reason, Counter.builder("rollout.pins.refused")
                    .tag("reason", reason.tag())
                    .description("Pins and unpins refused, by reason").register(registry));
        }
    }

    void pinned(long version) {
        pinned.set(version);
    }

    void unpinned() {
        pinned.set(NOT_PINNED);
    }

    void refused(PinRefusal reason) {
        refused.get(reason).increment();
    }

    /** The pinned version, or {@link #NOT_PINNED}. */
    public long pinnedVersion() {
        return pinned.get();
    }

    /** Pins refused for {@code reason} since start. */
    public double refusedCount(PinRefusal reason) {
        return refused.get(reason).count();
    }
}
