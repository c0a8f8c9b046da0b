package ai.collectiveagency.rollout.messaging;

import ai.collectiveagency.rollout.config.AgreementChecks;
import ai.collectiveagency.rollout.config.RolloutConfig;
import ai.collectiveagency.rollout.negotiation.NegotiationSettings;
import ai.collectiveagency.rollout.negotiation.PromptTemplates;
import ai.collectiveagency.rollout.negotiation.SelfPlay;
import ai.collectiveagency.rollout.negotiation.TaskTooLongException;
import ai.collectiveagency.rollout.serving.PolicyRunner;
import ai.collectiveagency.rollout.serving.ServedPolicy;
import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.schemas.RolloutGroup;
import ai.collectiveagency.schemas.Trajectory;
import ai.collectiveagency.schemas.Turn;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/**
 * Turns queued tasks into groups: takes a batch from the {@link TaskQueue}, rolls all its tasks
 * out together on the {@link PolicyRunner} (one lockstep {@link SelfPlay} batch), and sends each
 * group to {@link Channels#ROLLOUTS}, keyed by task id. A task is acknowledged only when the
 * broker has its group, so a crash loses nothing: unacknowledged tasks are read again.
 * A task that cannot fit the model's context is nacked with the reason (to the DLQ); if the
 * model fails on a batch, every task of it is nacked with the error.
 */
@ApplicationScoped
public class RolloutBatcher {

    private static final System.Logger LOG = System.getLogger(RolloutBatcher.class.getName());
    private static final Duration IDLE_POLL = Duration.ofMillis(200);

    private final TaskQueue queue;
    private final PolicyRunner runner;
    private final NegotiationSettings settings;
    private final PromptTemplates templates;
    private final AgreementChecks agreementChecks;
    private final RolloutConfig.Batch batching;
    private final Emitter<RolloutGroup> rollouts;
    private final Counter groups;
    private final Counter tokens;
    private final Counter tooLong;
    private final Counter failedTasks;
    private final Timer batchTime;
    private final MeterRegistry registry;
    private final List<Gauge> gauges;
    private volatile boolean running = true;
    private Thread thread;

    RolloutBatcher(PolicyRunner runner, NegotiationSettings settings, PromptTemplates templates,
            AgreementChecks agreementChecks, RolloutConfig config,
            @Channel(Channels.ROLLOUTS) Emitter<RolloutGroup> rollouts, MeterRegistry registry) {
        this.runner = runner;
        this.settings = settings;
        this.templates = templates;
        this.agreementChecks = agreementChecks;
        this.batching = config.batch();
        this.queue = new TaskQueue(batching.maxQueued());
        this.rollouts = rollouts;
        this.groups = Counter.builder("rollout.groups").description("Groups sent to the rollouts topic")
                .register(registry);
        this.tokens = Counter.builder("rollout.generated.tokens")
                .description("Tokens the policy generated for groups sent").register(registry);
        this.tooLong = Counter.builder("rollout.tasks.dead.lettered").tag("reason", "too_long")
                .description("Tasks sent to the DLQ").register(registry);
        this.failedTasks = Counter.builder("rollout.tasks.dead.lettered").tag("reason", "failed")
                .description("Tasks sent to the DLQ").register(registry);
        this.batchTime = Timer.builder("rollout.batch.duration")
                .description("Time to roll out one batch of tasks").register(registry);
        this.registry = registry;
        this.gauges = List.of(
                Gauge.builder("rollout.queued.tasks", queue, TaskQueue::size)
                        .description("Tasks accepted and waiting for the model")
                        .register(registry),
                Gauge.builder("rollout.policy.version", runner, r -> r.current().version())
                        .description("Version of the policy sampling now").register(registry));
    }

    /** Queues a task for the next batch; waits while {@code rollout.batch.max-queued} wait. */
    void accept(Message<PromptTask> task) throws InterruptedException {
        queue.put(task);
    }

    void start(@Observes StartupEvent started) {
        thread = new Thread(this::loop, "rollout-batcher");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent stopping) throws InterruptedException {
        // A gauge reads this instance's state: an application started later in the same JVM
        // (tests) must register its own, not find these in the global registry.
        gauges.forEach(registry::remove);
        running = false;
        if (thread != null) {
            thread.join(TimeUnit.SECONDS.toMillis(25));
        }
    }

    private void loop() {
        while (running) {
            try {
                List<Message<PromptTask>> batch = queue.nextBatch(batching.maxTasks(),
                        batching.maxWait(), IDLE_POLL);
                if (!batch.isEmpty()) {
                    rollOut(batch);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "rollout batch failed", e);
            }
        }
    }

    private void rollOut(List<Message<PromptTask>> batch) throws InterruptedException {
        Timer.Sample sample = Timer.start();
        List<GroupOut> out;
        try {
            out = runner.submit(policy -> sample(policy, batch)).get();
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            LOG.log(System.Logger.Level.ERROR, "the model failed on a batch of " + batch.size()
                    + " tasks; they go to the DLQ", cause);
            batch.forEach(task -> {
                failedTasks.increment();
                task.nack(cause);
            });
            return;
        }
        sample.stop(batchTime);
        for (GroupOut group : out) {
            send(group);
        }
    }

    /** Runs on the policy worker: admits each task, rolls the admitted ones out together. */
    private List<GroupOut> sample(ServedPolicy policy, List<Message<PromptTask>> batch) {
        SelfPlay selfPlay = SelfPlay.builder().setPolicy(policy.policy())
                .setModelName(policy.modelName()).optSettings(settings).optTemplates(templates)
                .optAgreementCheck(agreementChecks.forPolicy(policy.policy())).build();
        List<Message<PromptTask>> admitted = new ArrayList<>();
        for (Message<PromptTask> task : batch) {
            try {
                selfPlay.admit(task.getPayload());
                admitted.add(task);
            } catch (TaskTooLongException e) {
                tooLong.increment();
                task.nack(e);
            }
        }
        if (admitted.isEmpty()) {
            return List.of();
        }
        List<RolloutGroup> groups = selfPlay.rollout(
                admitted.stream().map(Message::getPayload).toList(), policy.version());
        List<GroupOut> out = new ArrayList<>(groups.size());
        for (int i = 0; i < groups.size(); i++) {
            out.add(new GroupOut(admitted.get(i), groups.get(i)));
        }
        return out;
    }

    private void send(GroupOut out) {
        RolloutGroup group = out.group();
        Message<PromptTask> task = out.task();
        long generated = group.getTrajectories().stream().map(Trajectory::getTurns)
                .flatMap(List::stream).mapToLong(t -> t.getCompletionTokenIds().size()).sum();
        rollouts.send(Message.of(group,
                Metadata.of(OutgoingKafkaRecordMetadata.<String>builder()
                        .withKey(group.getTask().getTaskId()).build()),
                () -> {
                    groups.increment();
                    tokens.increment(generated);
                    return task.ack();
                },
                failure -> {
                    LOG.log(System.Logger.Level.ERROR, "group " + group.getGroupId()
                            + " was not written; its task goes to the DLQ", failure);
                    failedTasks.increment();
                    return task.nack(failure);
                }));
    }

    /** A group and the task message it answers. */
    private record GroupOut(Message<PromptTask> task, RolloutGroup group) {
    }

}
