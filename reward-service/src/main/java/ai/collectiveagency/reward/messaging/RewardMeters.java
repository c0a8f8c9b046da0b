package ai.collectiveagency.reward.messaging;

import ai.collectiveagency.schemas.ScoredGroup;
import ai.collectiveagency.schemas.TrajectoryScore;
import ai.collectiveagency.schemas.kafka.stage.StageListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.function.Supplier;

/**
 * The scoring stage's meters: groups and trajectories sent (counted once their transaction is
 * committed), rewards, outage holds, dead letters, retries, aborted transactions, scoring time.
 */
final class RewardMeters implements StageListener {

    private final Counter groups;
    private final Counter scored;
    private final Counter unscorable;
    private final Counter held;
    private final Counter heldTooLong;
    private final Counter deadLettered;
    private final Counter retries;
    private final Counter aborts;
    private final DistributionSummary rewards;
    private final Timer latency;

    RewardMeters(MeterRegistry registry) {
        this.groups = Counter.builder("reward.groups").description("Groups scored and sent")
                .register(registry);
        this.scored = Counter.builder("reward.trajectories").tag("outcome", "scored")
                .description("Trajectories by outcome").register(registry);
        this.unscorable = Counter.builder("reward.trajectories").tag("outcome", "unscorable")
                .description("Trajectories by outcome").register(registry);
        this.held = Counter.builder("reward.outage.retries")
                .description("Times a group was held for a judge outage and scored again")
                .register(registry);
        this.heldTooLong = Counter.builder("reward.outage.expired")
                .description("Groups sent flagged after waiting reward.outage-max-hold")
                .register(registry);
        this.deadLettered = Counter.builder("reward.groups.dead.lettered")
                .description("Groups sent to the DLQ: undecodable, or the scorer kept failing")
                .register(registry);
        this.retries = Counter.builder("reward.groups.retries")
                .description("Groups tried again alone after the scorer failed on them")
                .register(registry);
        this.aborts = Counter.builder("reward.transactions.aborted")
                .description("Batches whose transaction was aborted and that are read again")
                .register(registry);
        this.rewards = DistributionSummary.builder("reward.value")
                .description("Rewards given").register(registry);
        this.latency = Timer.builder("reward.group.duration").publishPercentiles(0.5, 0.9, 0.99)
                .description("Time to score one group").register(registry);
    }

    <T> T timed(Supplier<T> scoring) {
        return latency.record(scoring);
    }

    void held() {
        held.increment();
    }

    void heldTooLong() {
        heldTooLong.increment();
    }

    void sent(ScoredGroup group) {
        groups.increment();
        for (TrajectoryScore score : group.getScores()) {
            if (score.getUnscorable()) {
                unscorable.increment();
            } else {
                scored.increment();
                rewards.record(score.getReward());
            }
        }
    }

    @Override
    public void committed(int emitted, int deadLettered) {
        this.deadLettered.increment(deadLettered);
    }

    @Override
    public void aborted(Throwable cause) {
        aborts.increment();
    }

    @Override
    public void retried(Throwable cause, int attempt) {
        retries.increment();
    }
}
