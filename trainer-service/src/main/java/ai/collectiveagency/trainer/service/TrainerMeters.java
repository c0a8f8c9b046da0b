package ai.collectiveagency.trainer.service;

import ai.collectiveagency.trainer.loop.StepListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The loop's events as Prometheus metrics: {@code trainer_steps_total},
 * {@code trainer_policy_version}, one gauge per step metric ({@code trainer_loss},
 * {@code trainer_reward_mean}, {@code trainer_kl}, {@code trainer_clip_fraction}, ...; NaN
 * after a step without that metric, such as {@code trainer_no_agreement_rate} after a step
 * without a negotiation),
 * {@code trainer_groups_dropped_total{reason}}, the staleness of used groups
 * ({@code trainer_staleness}, a histogram), {@code trainer_checkpoint_duration_seconds} (a
 * timer; not {@code trainer.checkpoint}, whose Prometheus name {@code trainer_checkpoint_seconds}
 * the step metric {@code checkpoint_seconds} takes as a gauge, and a gauge and a timer under one
 * name leave the timer out of the scrape), and for the
 * held-out groups it evaluates instead of training on, {@code trainer_heldout_groups_total} and
 * {@code trainer_heldout_reward_mean} (the last such group's mean reward; it keeps the previous
 * value when a group has no reward at all), and {@code trainer_nosignal_groups_total}, the groups
 * dynamic sampling settled without training (their rewards all equal).
 */
@ApplicationScoped
public class TrainerMeters implements StepListener {

    private final MeterRegistry registry;
    private final Counter steps;
    private final AtomicLong version = new AtomicLong();
    private final Map<String, AtomicDouble> last = new ConcurrentHashMap<>();
    private final DistributionSummary staleness;
    private final Timer checkpoints;
    private final Counter heldOut;
    private final AtomicDouble heldOutRewardMean = new AtomicDouble();
    private final Counter withoutSignal;

    TrainerMeters(MeterRegistry registry) {
        this.registry = registry;
        this.steps = Counter.builder("trainer.steps").description("Optimiser steps taken")
                .register(registry);
        registry.gauge("trainer.policy.version", version);
        this.staleness = DistributionSummary.builder("trainer.staleness")
                .description("Versions behind the trainer of the groups it trained on")
                .publishPercentileHistogram().register(registry);
        this.checkpoints = Timer.builder("trainer.checkpoint.duration")
                .description("Time to write and announce a checkpoint").register(registry);
        this.heldOut = Counter.builder("trainer.heldout.groups")
                .description("Held-out scored groups evaluated, never trained on")
                .register(registry);
        registry.gauge("trainer.heldout.reward.mean", heldOutRewardMean, AtomicDouble::get);
        this.withoutSignal = Counter.builder("trainer.nosignal.groups")
                .description("Scored groups of equal rewards, settled without training "
                        + "(trainer.dynamic-sampling)")
                .register(registry);
    }

    @Override
    public void stepped(long step, long currentVersion, Map<String, Double> metrics) {
        steps.increment();
        version.set(currentVersion);
        metrics.forEach((name, value) -> last.computeIfAbsent(name, n -> {
            AtomicDouble holder = new AtomicDouble();
            registry.gauge("trainer." + n.replace('_', '.'), holder, AtomicDouble::get);
            return holder;
        }).set(value));
        // A figure this step does not have (no negotiation in it: no_agreement_rate) reads NaN,
        // never an earlier step's value passed off as this one's.
        last.forEach((name, holder) -> {
            if (!metrics.containsKey(name)) {
                holder.set(Double.NaN);
            }
        });
    }

    @Override
    public void dropped(String reason, long versionsBehind) {
        Counter.builder("trainer.groups.dropped").tag("reason", reason)
                .description("Scored groups not trained on, by reason").register(registry)
                .increment();
    }

    @Override
    public void used(long versionsBehind) {
        staleness.record(versionsBehind);
    }

    @Override
    public void withoutSignal() {
        withoutSignal.increment();
    }

    @Override
    public void heldOut(long policyVersion, Map<String, Double> metrics) {
        heldOut.increment();
        Double rewardMean = metrics.get("reward_mean");
        if (rewardMean != null) {
            heldOutRewardMean.set(rewardMean);
        }
    }

    @Override
    public void checkpointed(long newVersion, double seconds) {
        version.set(newVersion);
        checkpoints.record(Duration.ofNanos((long) (seconds * 1e9)));
    }

    /** A double a gauge can read. */
    static final class AtomicDouble {
        private volatile double value = Double.NaN;

        double get() {
            return value;
        }

        void set(double v) {
            value = v;
        }
    }
}
