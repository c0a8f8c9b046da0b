package ai.collectiveagency.reward.messaging;

import ai.collectiveagency.reward.config.RewardConfig;
import ai.collectiveagency.scoring.GroupScorer;
import ai.collectiveagency.schemas.RolloutGroup;
import ai.collectiveagency.schemas.health.WorkerWatch;
import ai.collectiveagency.schemas.kafka.KafkaClientSettings;
import ai.collectiveagency.schemas.kafka.RolloutGroupDeserializer;
import ai.collectiveagency.schemas.kafka.ScoredGroupSerializer;
import ai.collectiveagency.schemas.kafka.stage.StageClients;
import ai.collectiveagency.schemas.kafka.stage.StageConfig;
import ai.collectiveagency.schemas.kafka.stage.StageSettings;
import ai.collectiveagency.schemas.kafka.stage.StageThread;
import ai.collectiveagency.schemas.kafka.stage.TransactionalStage;
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
 * The reward-service's Kafka side: groups in from the rollouts topic (consumer group
 * {@code reward.stage.consumer-group}), scored groups out to the scored topic, up to
 * {@code reward.batch-size} groups per batch, each batch's scored groups, dead letters and
 * offsets in one transaction ({@link TransactionalStage}). The Kafka settings ({@code kafka.*})
 * are checked when it starts, naming the key of a setting that cannot work.
 */
@ApplicationScoped
public class ScoringStage {

    private static final Duration GRACE = Duration.ofSeconds(25);

    private final RewardConfig config;
    private final Map<String, Object> kafka;
    private final GroupScorer scorer;
    private final MeterRegistry registry;
    private final StageSettings stage;
    private final WorkerWatch watch;
    private StageThread thread;

    ScoringStage(RewardConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafka,
            GroupScorer scorer, MeterRegistry registry, Config configuration) {
        this.config = config;
        this.kafka = kafka;
        this.scorer = scorer;
        this.registry = registry;
        // Bad keys stop the start here, each named (StageSettings documents them).
        this.stage = StageSettings.read(configuration::getOptionalValue, "reward.stage",
                config.replicaId().orElseGet(StageSettings::defaultReplicaId));
        if (config.outageMaxHold().compareTo(stage.maxBatchDuration()) >= 0) {
            throw new IllegalArgumentException("invalid configuration:\n  reward.outage-max-hold ("
                    + config.outageMaxHold() + ") must be shorter than "
                    + "reward.stage.max-batch-duration (" + stage.maxBatchDuration() + "): a "
                    + "batch held for the judge would count as a stalled replica");
        }
        this.watch = new WorkerWatch("scoring-stage", stage.maxBatchDuration());
    }

    /** The stage thread's liveness: alive, and finishing batches while groups wait. */
    @Produces
    @Named("scoring-stage")
    WorkerWatch watch() {
        return watch;
    }

    /** Whether the stage is registered with the broker and reading. */
    public boolean ready() {
        return thread != null && thread.stage().ready();
    }

    void start(@Observes StartupEvent started) {
        StageConfig stageConfig = stage.stageConfig(config.batchSize(), Duration.ZERO,
                KafkaClientSettings.of(kafka));
        ScoredGroupSerializer serializer = new ScoredGroupSerializer();
        serializer.configure(kafka, false);
        RolloutGroupDeserializer groups = new RolloutGroupDeserializer();
        groups.configure(kafka, false);
        RewardMeters meters = new RewardMeters(registry);
        ScoringHandler handler = new ScoringHandler(scorer, config, stage.outputTopic(),
                serializer, meters);
        String client = stageConfig.transactionalId();
        thread = StageThread.start(new TransactionalStage<>(stageConfig,
                StageClients.consumer(stageConfig, client + "-groups"),
                StageClients.producer(stageConfig, client + "-scored"), groups, handler, meters, watch),
                "scoring-stage", GRACE);
    }

    void stop(@Observes ShutdownEvent stopping) throws InterruptedException {
        if (thread != null) {
            thread.close();
        }
    }
}
