package ai.collectiveagency.prompts.messaging;

import ai.collectiveagency.prompts.config.PromptGeneratorConfig;
import ai.collectiveagency.prompts.dedup.DistinctTasks;
import ai.collectiveagency.prompts.pacing.LagGate;
import ai.collectiveagency.prompts.pacing.PacedGroup;
import ai.collectiveagency.schemas.PromptTask;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.smallrye.mutiny.Multi;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import ai.collectiveagency.llm.ChatStatsMeters;
import ai.collectiveagency.prompts.config.TaskSources;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Outgoing;

/**
 * Sends distinct tasks to {@link Channels#PROMPTS}, keyed by task id, at {@code prompts.rate} per
 * second, and stops after {@code prompts.max-tasks} when that is above 0. Before the first task it
 * reads where this seed's run left off on the topic ({@link TopicResume}), so a restart sends no
 * task id twice. Before each task the
 * {@link LagGate} is asked whether the rollout group's lag is below {@code prompts.pacing.max-lag}
 * and the trainer's below {@code prompts.pacing.trainer-max-lag}; a tick it refuses is skipped,
 * not queued. Counts the tasks the broker acknowledged
 * ({@code prompts_produced_total}), the near-duplicates dropped
 * ({@code prompts_duplicates_dropped_total}) and the skipped ticks
 * ({@code prompts_paced_ticks_total}); {@code prompts_pacing_lag} shows each paced group's lag
 * (tag {@code group}). A task the LLM
 * source could not make leaves its tick empty ({@code prompts_llm_dropped_total} by reason).
 */
@ApplicationScoped
public class PromptTaskProducer {

    private static final System.Logger LOG =
            System.getLogger(PromptTaskProducer.class.getName());

    private final DistinctTasks tasks;
    private final PromptGeneratorConfig config;
    private final LagGate gate;
    private final Counter produced;
    private final Counter paced;
    private final TopicResume resume;
    private boolean resumed;
    private boolean resumeWarned;

    PromptTaskProducer(DistinctTasks tasks, TaskSources sources, PromptGeneratorConfig config,
                       LagGate gate, TopicResume resume, MeterRegistry registry) {
        this.tasks = tasks;
        this.resume = resume;
        this.config = config;
        this.gate = gate;
        this.produced = Counter.builder("prompts.produced")
                .description("Tasks written to the prompts topic and acknowledged by the broker")
                .register(registry);
        FunctionCounter.builder("prompts.duplicates.dropped", tasks, DistinctTasks::dropped)
                .description("Generated tasks dropped as near-duplicates of earlier ones")
                .register(registry);
        this.paced = Counter.builder("prompts.paced.ticks")
                .description("Ticks skipped because a paced group's lag reached its bound")
                .register(registry);
        for (PacedGroup paced : gate.groups()) {
            Gauge.builder("prompts.pacing.lag", gate, g -> g.lag(paced.group()))
                    .description("Records the paced group has not committed yet on its topic, "
                            + "counting the tasks the broker has not acknowledged yet")
                    .tag("group", paced.group())
                    .register(registry);
        }
        sources.llmChat().ifPresent(chat -> ChatStatsMeters.register(chat.stats(), registry,
                "prompts.llm", "dropped", Tags.empty()));
    }

    @Outgoing(Channels.PROMPTS)
    public Multi<Message<PromptTask>> prompts() {
        Duration period = Duration.ofNanos(Math.round(1e9 / config.rate()));
        Multi<PromptTask> stream = Multi.createFrom().ticks().every(period)
                .onOverflow().drop()
                .select().where(tick -> resumed() && admit())
                .map(tick -> tasks.next())
                .select().where(this::madeOrSettled)
                .map(Optional::get);
        if (config.maxTasks() > 0) {
            stream = stream.select().first(config.maxTasks());
        }
        return stream.map(this::record);
    }

    /** Before the first task: where this seed's run left off on the topic; ticks wait for it. */
    private boolean resumed() {
        if (resumed) {
            return true;
        }
        try {
            long next = resume.nextIndex();
            tasks.skipTo(next);
            resumed = true;
            if (next > 0) {
                LOG.log(System.Logger.Level.INFO, "run seed " + config.seed() + " resumes at task "
                        + next + ": " + resume.topic() + " already holds its earlier tasks");
            }
            return true;
        } catch (RuntimeException e) {
            if (!resumeWarned) {
                resumeWarned = true;
                LOG.log(System.Logger.Level.WARNING, "waiting to read where the run left off on "
                        + resume.topic() + ": " + e);
            }
            return false;
        }
    }

    private boolean admit() {
        if (gate.admit()) {
            return true;
        }
        paced.increment();
        return false;
    }

    /** An admitted tick that made no task sends nothing: the gate stops counting it. */
    private boolean madeOrSettled(Optional<PromptTask> task) {
        if (task.isEmpty()) {
            gate.settled();
        }
        return task.isPresent();
    }

    private Message<PromptTask> record(PromptTask task) {
        return KafkaRecord.of(task.getTaskId(), task).withAck(() -> {
            gate.settled();
            produced.increment();
            return CompletableFuture.completedFuture(null);
        }).withNack(failure -> {
            gate.settled();
            return CompletableFuture.completedFuture(null);
        });
    }
}
