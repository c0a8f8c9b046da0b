package ai.collectiveagency.rollout.messaging;

import ai.collectiveagency.schemas.RolloutGroup;
import ai.collectiveagency.schemas.Trajectory;
import ai.collectiveagency.schemas.kafka.stage.StageListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The rollout stage's meters: groups and tokens sent (counted once their transaction is
 * committed), tasks dead-lettered (too long among them), retries, aborted transactions, batch time.
 */
final class RolloutMeters implements StageListener {

    private final Counter groups;
    private final Counter tokens;
    private final Counter tooLong;
    private final Counter deadLettered;
    private final Counter retries;
    private final Counter aborts;
    private final Timer batchTime;

    RolloutMeters(MeterRegistry registry) {
        this.groups = Counter.builder("rollout.groups")
                .description("Groups sent to the rollouts topic").register(registry);
        this.tokens = Counter.builder("rollout.generated.tokens")
                .description("Tokens the policy generated for groups sent").register(registry);
        this.tooLong = Counter.builder("rollout.tasks.too.long")
                .description("Tasks whose first prompt cannot fit the model's context")
                .register(registry);
        this.deadLettered = Counter.builder("rollout.tasks.dead.lettered")
                .description("Tasks sent to the DLQ: undecodable, too long, failing")
                .register(registry);
        this.retries = Counter.builder("rollout.tasks.retries")
                .description("Tasks tried again alone after a failure").register(registry);
        this.aborts = Counter.builder("rollout.transactions.aborted")
                .description("Batches whose transaction was aborted and that are read again")
                .register(registry);
        this.batchTime = Timer.builder("rollout.batch.duration")
                .description("Time to roll out one batch of tasks").register(registry);
    }

    void tooLong() {
        tooLong.increment();
    }

    void batchTook(long nanos) {
        batchTime.record(nanos, TimeUnit.NANOSECONDS);
    }

    void sent(RolloutGroup group) {
        groups.increment();
        tokens.increment(group.getTrajectories().stream().map(Trajectory::getTurns)
                .flatMap(List::stream).mapToLong(t -> t.getCompletionTokenIds().size()).sum());
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
