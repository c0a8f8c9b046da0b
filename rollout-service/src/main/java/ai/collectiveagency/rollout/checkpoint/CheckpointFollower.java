package ai.collectiveagency.rollout.checkpoint;

import ai.collectiveagency.selfplay.checkpoint.BaseModel;
import ai.collectiveagency.selfplay.checkpoint.CheckpointVerifier;

import ai.collectiveagency.policy.checkpoint.CheckpointLeases;
import ai.collectiveagency.rollout.config.ReplicaId;
import ai.collectiveagency.rollout.config.RolloutConfig;
import ai.collectiveagency.selfplay.ModelName;
import ai.collectiveagency.rollout.remote.RemoteEngines;
import ai.collectiveagency.rollout.serving.PolicyRunner;
import ai.collectiveagency.schemas.FleetPin;
import ai.collectiveagency.schemas.PolicyCheckpoint;
import ai.collectiveagency.schemas.health.WorkerWatch;
import ai.collectiveagency.schemas.kafka.FleetPinDeserializer;
import ai.collectiveagency.schemas.kafka.KafkaClientSettings;
import ai.collectiveagency.schemas.kafka.PolicyCheckpointDeserializer;
import ai.collectiveagency.schemas.signing.TrustedKeys;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Follows the checkpoints topic for the life of the service. At start-up, before the rollout
 * batcher starts (this observer runs first), it reads the topic to its end and adopts the
 * newest valid checkpoint, so the first group already comes from it; then a daemon thread keeps
 * reading and adopts each newer one in the background while the policy worker keeps serving
 * ({@link CheckpointFollowLoop}: it survives any failure but the JVM's, and its
 * {@link WorkerWatch}, {@value #WATCH}, is in the service's liveness check). What it trusts
 * ({@link CheckpointTrust}: the trainer's public keys, the store root) and the base model's
 * identity are read at start-up, only when checkpoints are enabled. While it follows, the
 * replica keeps a lease in the store ({@link ReplicaLease}, renewed on its own thread so a long
 * load does not let it lapse) and removes it on a clean stop. In a pod, the pod's annotations
 * say which version it serves ({@link PodAnnotations}).
 *
 * <p>It follows the operator's pin on the fleet-control topic the same way, on the same thread
 * ({@link FleetPinAdoption}): read to its end at start-up before anything is adopted, then
 * polled before each poll of the checkpoints.
 */
@ApplicationScoped
public class CheckpointFollower {

    /** The follower's {@link WorkerWatch} name and bean identifier. */
    public static final String WATCH = "checkpoint-follower";

    private static final System.Logger LOG = System.getLogger(CheckpointFollower.class.getName());
    /** The control topic's poll: short, the checkpoints' poll does the waiting. */
    private static final Duration CONTROL_POLL = Duration.ofMillis(100);

    private final CheckpointConfig config;
    private final Map<String, Object> kafka;
    private final PolicyRunner runner;
    private final Set<String> baseNames;
    private final Path baseFolder;
    private final CheckpointMetrics metrics;
    private final String replicaId;
    private final WorkerWatch watch;
    private final Instance<KubernetesClient> kubernetes; // made only in a pod (PodAnnotations)
    private final MeterRegistry registry;
    private final FleetPinConfig pinConfig;
    private final FleetPinMetrics pinMetrics;
    private final RemoteEngines remote;
    private CheckpointTopicReader<PolicyCheckpoint> reader;
    private CheckpointTopicReader<FleetPin> control;
    private FleetPinAdoption adoption;
    private CheckpointFollowLoop loop;
    private Thread thread;
    private ReplicaLease lease;
    private ScheduledExecutorService leaseRenewal;

    CheckpointFollower(PolicyRunner runner, RolloutConfig rollout, CheckpointConfig config,
            FleetPinConfig pinConfig,
            @Identifier("default-kafka-broker") Map<String, Object> kafka,
            MeterRegistry registry, Instance<KubernetesClient> kubernetes, RemoteEngines remote) {
        this.config = config;
        this.remote = remote;
        this.registry = registry;
        this.kubernetes = kubernetes;
        this.pinConfig = pinConfig;
        this.pinMetrics = new FleetPinMetrics(registry);
        this.kafka = kafka;
        this.metrics = new CheckpointMetrics(registry);
        this.runner = runner;
        this.replicaId = ReplicaId.of(rollout.replicaId());
        this.watch = new WorkerWatch(WATCH, config.stallAfter());
        this.baseFolder = rollout.model();
        // base_model may name the base as its folder does or as it is served (rollout.model-name)
        this.baseNames = new TreeSet<>(List.of(ModelName.of(rollout.model()),
                runner.current().modelName()));
    }

    /** The follower thread's watch, in the liveness check ({@code WorkerLiveness}). */
    @Produces
    @Singleton
    @Identifier(WATCH)
    WorkerWatch watch() {
        return watch;
    }

    /** The meters, for tests and the health of operations. */
    public CheckpointMetrics metrics() {
        return metrics;
    }

    /** The pin's meters, for tests. */
    public FleetPinMetrics pinMetrics() {
        return pinMetrics;
    }

    void start(@Observes @Priority(Interceptor.Priority.APPLICATION) StartupEvent started) {
        if (!config.enabled()) {
            LOG.log(System.Logger.Level.INFO, "rollout.checkpoints.enabled=false: serving the"
                    + " base model only; to follow the trainer set it to true with"
                    + " rollout.checkpoints.public-keys and rollout.checkpoints.store-root");
            return;
        }
        CheckpointConfigChecks.requireValid(config);
        CheckpointTrust trust = CheckpointTrust.of(config); // stops start-up naming the key
        Optional<TrustedKeys> operators = FleetPinAdoption.operatorKeys(pinConfig);
        BaseModel base = BaseModel.of(baseFolder, baseNames);
        startLease(trust.store().root());
        PodAnnotations pod = new PodAnnotations(PodIdentity.fromEnvironment(System.getenv()),
                kubernetes::get, base.sha256(), registry);
        CheckpointAdopter adopter = new CheckpointAdopter(runner, new CheckpointVerifier(
                trust.keys(), trust.store(), base), metrics, VerifyAttempts.of(config),
                AdoptionListener.all(lease, pod), remote);
        adoption = new FleetPinAdoption(adopter, () -> runner.current().version(), operators,
                pinMetrics);
        LOG.log(System.Logger.Level.INFO, "following checkpoints signed by keys "
                + trust.keys().keyIds() + " under " + trust.store().root() + " for base model "
                + baseFolder + " (sha256 " + base.sha256() + "); pins on " + pinConfig.topic()
                + " signed by operator keys " + operators.map(TrustedKeys::keyIds)
                        .map(Object::toString).orElse("(none: " + FleetPinAdoption.PUBLIC_KEYS
                                + " is not set, every pin is refused)"));
        // The channels' Kafka settings (security included): a reader that cannot log in or may
        // not read the topic fails the start instead of quietly serving the base model.
        KafkaClientSettings settings = KafkaClientSettings.of(kafka);
        reader = CheckpointTopicReader.checkpoints(settings, config.topic(),
                new PolicyCheckpointDeserializer(), metrics);
        control = new CheckpointTopicReader<>(settings, "rollout-fleet-control",
                pinConfig.topic(), new FleetPinDeserializer(), adoption::malformed);
        // Both read to their end before anything is adopted: a pinned fleet never serves the
        // newest checkpoint on its way up.
        adoption.start(reader.readToEnd(config.startupTimeout()),
                control.readToEnd(config.startupTimeout()));
        pod.annotate(runner.current().version()); // what start-up serves, adopted or not
        loop = new CheckpointFollowLoop(this::poll, adoption::announced, watch,
                config.pollInterval());
        thread = new Thread(loop, WATCH);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * The follower thread's poll: applies the pins that arrived (under the watch, as a load),
     * then waits for checkpoints.
     */
    private List<PolicyCheckpoint> poll(Duration timeout) {
        List<FleetPin> pins = control.poll(CONTROL_POLL);
        if (!pins.isEmpty()) {
            watch.working();
            adoption.controlled(pins);
            watch.progressed();
        }
        return reader.poll(timeout);
    }

    /** Writes this replica's lease now and renews it on a thread of its own. */
    private void startLease(Path storeRoot) {
        lease = new ReplicaLease(CheckpointLeases.of(storeRoot), replicaId,
                runner.current().version(), config.leaseExpiry(), Clock.systemUTC());
        lease.renew();
        leaseRenewal = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread renewal = new Thread(r, "checkpoint-lease");
            renewal.setDaemon(true);
            return renewal;
        });
        long every = config.leaseRenewInterval().toMillis();
        leaseRenewal.scheduleWithFixedDelay(lease::renew, every, every, TimeUnit.MILLISECONDS);
        LOG.log(System.Logger.Level.INFO, "checkpoint lease of replica " + replicaId + " in "
                + storeRoot.resolve(CheckpointLeases.FOLDER) + ", renewed every "
                + config.leaseRenewInterval() + ", holding " + config.leaseExpiry());
    }

    void stop(@Observes ShutdownEvent stopping) throws InterruptedException {
        if (loop != null) {
            loop.stop();
        }
        if (reader != null) {
            reader.wakeup();
            if (thread != null) {
                thread.join(10_000);
            }
            reader.close();
        }
        if (control != null) {
            control.close();
        }
        if (leaseRenewal != null) {
            leaseRenewal.shutdownNow();
            leaseRenewal.awaitTermination(5, TimeUnit.SECONDS);
            lease.close();
        }
    }
}
