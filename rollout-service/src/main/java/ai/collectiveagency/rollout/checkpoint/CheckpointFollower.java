package ai.collectiveagency.rollout.checkpoint;

import ai.collectiveagency.rollout.config.RolloutConfig;
import ai.collectiveagency.rollout.negotiation.ModelName;
import ai.collectiveagency.rollout.serving.PolicyRunner;
import ai.collectiveagency.schemas.PolicyCheckpoint;
import ai.collectiveagency.schemas.kafka.KafkaClientSettings;
import ai.collectiveagency.schemas.kafka.PolicyCheckpointDeserializer;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Follows the checkpoints topic for the life of the service. At start-up, before the rollout
 * batcher starts (this observer runs first), it reads the topic to its end and adopts the
 * newest valid checkpoint, so the first group already comes from it; then a daemon thread keeps
 * reading and adopts each newer one in the background while the policy worker keeps serving.
 * What it trusts ({@link CheckpointTrust}: the trainer's public keys, the store root) and the
 * base model's identity are read at start-up, only when checkpoints are enabled.
 */
@ApplicationScoped
public class CheckpointFollower {

    private static final System.Logger LOG = System.getLogger(CheckpointFollower.class.getName());

    private final CheckpointConfig config;
    private final Map<String, Object> kafka;
    private final PolicyRunner runner;
    private final Set<String> baseNames;
    private final Path baseFolder;
    private final CheckpointMetrics metrics;
    private CheckpointAdopter adopter;
    private volatile boolean running = true;
    private CheckpointTopicReader reader;
    private Thread thread;

    CheckpointFollower(PolicyRunner runner, RolloutConfig rollout, CheckpointConfig config,
            @Identifier("default-kafka-broker") Map<String, Object> kafka,
            MeterRegistry registry) {
        this.config = config;
        this.kafka = kafka;
        this.metrics = new CheckpointMetrics(registry);
        this.runner = runner;
        this.baseFolder = rollout.model();
        // base_model may name the base as its folder does or as it is served (rollout.model-name)
        this.baseNames = new TreeSet<>(List.of(ModelName.of(rollout.model()),
                runner.current().modelName()));
    }

    /** The meters, for tests and the health of operations. */
    public CheckpointMetrics metrics() {
        return metrics;
    }

    void start(@Observes @Priority(Interceptor.Priority.APPLICATION) StartupEvent started) {
        if (!config.enabled()) {
            LOG.log(System.Logger.Level.INFO, "rollout.checkpoints.enabled=false: serving the"
                    + " base model only; to follow the trainer set it to true with"
                    + " rollout.checkpoints.public-keys and rollout.checkpoints.store-root");
            return;
        }
        CheckpointTrust trust = CheckpointTrust.of(config); // stops start-up naming the key
        BaseModel base = BaseModel.of(baseFolder, baseNames);
        adopter = new CheckpointAdopter(runner, new CheckpointVerifier(trust.keys(),
                trust.store(), base), metrics);
        LOG.log(System.Logger.Level.INFO, "following checkpoints signed by keys "
                + trust.keys().keyIds() + " under " + trust.store().root() + " for base model "
                + baseFolder + " (sha256 " + base.sha256() + ")");
        // The channels' Kafka settings (security included): a reader that cannot log in or may
        // not read the topic fails the start instead of quietly serving the base model.
        reader = new CheckpointTopicReader(KafkaClientSettings.of(kafka), config.topic(),
                new PolicyCheckpointDeserializer(), metrics);
        adopter.adoptNewest(reader.readToEnd(config.startupTimeout()));
        thread = new Thread(this::follow, "checkpoint-follower");
        thread.setDaemon(true);
        thread.start();
    }

    private void follow() {
        while (running) {
            try {
                List<PolicyCheckpoint> checkpoints = reader.poll(config.pollInterval());
                if (!checkpoints.isEmpty()) {
                    adopter.adoptNewest(checkpoints);
                }
            } catch (WakeupException e) {
                return; // stopping
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.log(System.Logger.Level.ERROR, "reading " + config.topic() + " failed", e);
                sleep();
            }
        }
    }

    private void sleep() {
        try {
            Thread.sleep(config.pollInterval().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void stop(@Observes ShutdownEvent stopping) throws InterruptedException {
        running = false;
        if (reader == null) {
            return;
        }
        reader.wakeup();
        if (thread != null) {
            thread.join(10_000);
        }
        reader.close();
    }
}
