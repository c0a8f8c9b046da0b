package ai.collectiveagency.rollout.messaging;

import ai.collectiveagency.rollout.config.AgreementChecks;
import ai.collectiveagency.rollout.remote.RemoteEngines;
import ai.collectiveagency.rollout.config.ReplicaId;
import ai.collectiveagency.rollout.config.RolloutConfig;
import ai.collectiveagency.selfplay.NegotiationSettings;
import ai.collectiveagency.selfplay.PromptTemplates;
import ai.collectiveagency.rollout.serving.PolicyRunner;
import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.schemas.health.WorkerWatch;
import ai.collectiveagency.schemas.kafka.KafkaClientSettings;
import ai.collectiveagency.schemas.kafka.PromptTaskDeserializer;
import ai.collectiveagency.schemas.kafka.RolloutGroupSerializer;
import ai.collectiveagency.schemas.kafka.stage.StageClients;
import ai.collectiveagency.schemas.kafka.stage.StageConfig;
import ai.collectiveagency.schemas.kafka.stage.StageSettings;
import ai.collectiveagency.schemas.kafka.stage.StageThread;
import ai.collectiveagency.schemas.kafka.stage.TransactionalStage;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.config.Config;

/**
 * The rollout fleet's Kafka side: tasks in from the prompts topic (consumer group
 * {@code rollout.stage.consumer-group}), groups out to the rollouts topic, in batches of up to
 * {@code rollout.batch.max-tasks} gathered within {@code rollout.batch.max-wait}, each batch's
 * groups, dead letters and offsets in one transaction ({@link TransactionalStage}). It starts
 * after the checkpoint follower, so the first group already comes from the newest checkpoint.
 */
@ApplicationScoped
public class RolloutStage {

    private static final Duration GRACE = Duration.ofSeconds(25);

    private final RolloutConfig config;
    private final Map<String, Object> kafka;
    private final PolicyRunner runner;
    private final NegotiationSettings settings;
    private final PromptTemplates templates;
    private final AgreementChecks agreementChecks;
    private final RemoteEngines remote;
    private final MeterRegistry registry;
    private final StageSettings stage;
    private final WorkerWatch watch;
    private final boolean enabled;
    private Gauge version;
    private StageThread thread;

    RolloutStage(RolloutConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafka,
            PolicyRunner runner, NegotiationSettings settings, PromptTemplates templates,
            AgreementChecks agreementChecks, RemoteEngines remote, MeterRegistry registry,
            Config configuration) {
        this.config = config;
        this.kafka = kafka;
        this.runner = runner;
        this.settings = settings;
        this.templates = templates;
        this.agreementChecks = agreementChecks;
        this.remote = remote;
        this.registry = registry;
        // rollout.stage.enabled=false (the inference-server profile): no topics read or written.
        this.enabled = configuration.getOptionalValue("rollout.stage.enabled", Boolean.class)
                .orElse(true);
        // Bad keys stop the start here, each named (StageSettings documents them).
        this.stage = StageSettings.read(configuration::getOptionalValue, "rollout.stage",
                ReplicaId.of(config.replicaId()));
        this.watch = new WorkerWatch("rollout-stage", stage.maxBatchDuration());
    }

    /** The stage thread's liveness: alive, and finishing batches while tasks wait. */
    @Produces
    @Named("rollout-stage")
    WorkerWatch watch() {
        return watch;
    }

    /** Whether the stage is registered with the broker and reading; always, when it is off. */
    public boolean ready() {
        return !enabled || thread != null && thread.stage().ready();
    }

    void start(@Observes StartupEvent started) {
        if (!enabled) {
            System.getLogger(RolloutStage.class.getName()).log(System.Logger.Level.INFO,
                    "rollout.stage.enabled=false: no tasks are read and no groups written;"
                            + " the service only serves its API");
            return;
        }
        StageConfig stageConfig = stage.stageConfig(config.batch().maxTasks(),
                config.batch().maxWait(), KafkaClientSettings.of(kafka));
        RolloutGroupSerializer serializer = new RolloutGroupSerializer();
        serializer.configure(kafka, false);
        PromptTaskDeserializer tasks = new PromptTaskDeserializer();
        tasks.configure(kafka, false);
        RolloutMeters meters = new RolloutMeters(registry);
        RolloutHandler handler = new RolloutHandler(runner, settings, templates, agreementChecks,
                remote, stage.outputTopic(), serializer, meters);
        String client = stageConfig.transactionalId();
        version = Gauge.builder("rollout.policy.version", runner, r -> r.current().version())
                .description("Version of the policy sampling now").register(registry);
        thread = StageThread.start(new TransactionalStage<>(stageConfig,
                StageClients.consumer(stageConfig, client + "-tasks"),
                StageClients.producer(stageConfig, client + "-groups"), tasks, handler, meters, watch),
                "rollout-stage", GRACE);
    }

    void stop(@Observes ShutdownEvent stopping) throws InterruptedException {
        // A gauge reads this instance's state: an application started later in the same JVM
        // (tests) must register its own, not find this one in the global registry.
        if (version != null) {
            registry.remove(version);
        }
        if (thread != null) {
            thread.close();
        }
    }
}
