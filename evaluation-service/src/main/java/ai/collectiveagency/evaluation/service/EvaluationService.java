package ai.collectiveagency.evaluation.service;

import ai.collectiveagency.evaluation.candidates.AnnouncedCheckpoints;
import ai.collectiveagency.evaluation.candidates.Contestant;
import ai.collectiveagency.evaluation.protocol.SetPlayer;
import ai.collectiveagency.evaluation.run.EvaluationPlan;
import ai.collectiveagency.evaluation.run.Evaluator;
import ai.collectiveagency.policy.Policy;
import ai.collectiveagency.schemas.health.WorkerWatch;
import ai.collectiveagency.schemas.kafka.KafkaClientSettings;
import ai.collectiveagency.scoring.onnx.AnchorScorer;
import ai.collectiveagency.scoring.onnx.SentenceEncoder;
import ai.collectiveagency.scoring.sides.BothSidesScorer;
import ai.collectiveagency.selfplay.ModelName;
import ai.collectiveagency.selfplay.PromptTemplates;
import ai.collectiveagency.selfplay.checkpoint.BaseModel;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Starts the evaluation worker: checks the settings, loads the base model (version 0), the
 * sets, the embedded scorer and the judges, and reads the checkpoints topic in its own group.
 */
@ApplicationScoped
public class EvaluationService {

    static final String WATCH = "evaluation-worker";
    /** One batch of one set may take minutes on a large model; longer than this is a stall. */
    private static final Duration STALL_AFTER = Duration.ofMinutes(30);

    private static final System.Logger LOG = System.getLogger(EvaluationService.class.getName());

    private final EvaluationConfig config;
    private final Map<String, Object> kafka;
    private final MeterRegistry registry;
    private final WorkerWatch watch = new WorkerWatch(WATCH, STALL_AFTER);
    private Policy base;
    private SentenceEncoder encoder;
    private CheckpointFeed feed;
    private ResultPublisher publisher;
    private EvaluationWorker worker;
    private Thread thread;

    EvaluationService(EvaluationConfig config,
            @Identifier("default-kafka-broker") Map<String, Object> kafka,
            MeterRegistry registry) {
        this.config = config;
        this.kafka = kafka;
        this.registry = registry;
    }

    /** The worker's watch, in the liveness check. */
    @Produces
    @Singleton
    @Identifier(WATCH)
    WorkerWatch watch() {
        return watch;
    }

    void start(@Observes StartupEvent started) {
        EvaluationSetup setup = new EvaluationSetup(config);
        setup.requireValid();
        EvaluationPlan plan = setup.plan();
        EvaluationMeters meters = new EvaluationMeters(registry);
        base = Policy.load(config.model());
        Set<String> names = new TreeSet<>();
        names.add(ModelName.of(config.model()));
        config.modelName().ifPresent(names::add);
        BaseModel baseModel = BaseModel.of(config.model(), names);
        AnnouncedCheckpoints checkpoints = new AnnouncedCheckpoints(setup.keys(),
                setup.store(), baseModel, base);
        encoder = SentenceEncoder.bundled(256, 0);
        AnchorScorer collectiveAgency = new AnchorScorer(encoder, null, 16);
        PromptTemplates templates = config.protocol().prompts().map(PromptTemplates::load)
                .orElseGet(PromptTemplates::defaults);
        SetPlayer player = new SetPlayer(setup.protocol(), templates, config.batchSize());
        plan.sets().forEach(set -> player.requireFits(base, set)); // stops start-up, naming it
        Evaluator evaluator = new Evaluator(player,
                setup.judges(BothSidesScorer.withDefaults(encoder, 16)), collectiveAgency, plan);
        KafkaClientSettings settings = KafkaClientSettings.of(kafka);
        feed = new CheckpointFeed(settings, config.checkpoints().topic(),
                config.checkpoints().consumerGroup(), meters::malformed);
        publisher = new ResultPublisher(settings, config.metrics().topic());
        worker = new EvaluationWorker(feed, new EvaluationSchedule(
                config.schedule().everyNthVersion(), config.schedule().minInterval()),
                checkpoints, evaluator, Contestant.base(base), publisher, meters, watch,
                config.checkpoints().pollInterval(), Clock.systemUTC());
        thread = new Thread(worker, WATCH);
        watch.attach(thread);
        thread.start();
        LOG.log(System.Logger.Level.INFO, "evaluating checkpoints announced on "
                + config.checkpoints().topic() + " (group " + config.checkpoints()
                .consumerGroup() + ") against base model " + config.model() + " on "
                + plan.sets().stream().map(s -> s.id() + " (" + s.tasks().size() + " tasks)")
                .toList() + ", " + plan.decodings() + "; results to " + config.metrics().topic());
    }

    void stop(@Observes ShutdownEvent stopping) throws InterruptedException {
        if (worker != null) {
            worker.stop();
            thread.join(Duration.ofSeconds(20).toMillis());
        }
        closeQuietly(feed);
        closeQuietly(publisher);
        closeQuietly(encoder);
        closeQuietly(base);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "could not close " + closeable, e);
        }
    }
}
