package ai.collectiveagency.trainer.service;

import ai.collectiveagency.policy.checkpoint.BaseModelIdentity;
import ai.collectiveagency.policy.engine.TrainingMalloc;
import ai.collectiveagency.schemas.PolicyCheckpoint;
import ai.collectiveagency.schemas.health.WorkerWatch;
import ai.collectiveagency.schemas.kafka.PolicyCheckpointSerializer;
import ai.collectiveagency.schemas.kafka.KafkaClientSettings;
import ai.collectiveagency.schemas.kafka.MetricsEventSerializer;
import ai.collectiveagency.schemas.signing.CheckpointSigner;
import ai.collectiveagency.trainer.checkpoint.BaseModel;
import ai.collectiveagency.trainer.checkpoint.CheckpointDirectory;
import ai.collectiveagency.trainer.checkpoint.CheckpointRetention;
import ai.collectiveagency.trainer.config.TrainerConfig;
import ai.collectiveagency.trainer.config.TrainerConfigChecks;
import ai.collectiveagency.trainer.loop.TrainerLoop;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Runs the {@link TrainerLoop} on a thread of its own for as long as the service runs. Its
 * consumer joins no group: where to read is the latest checkpoint's business (it commits its
 * progress to {@code trainer.topics.progress-group} for lag readers alone).
 * On shutdown the loop finishes the record it is on and writes a last checkpoint.
 *
 * <p>Its Kafka clients take exactly the settings the channels of every service take (the
 * {@code kafka.*} keys: brokers, {@code security.protocol}, {@code sasl.*}, {@code ssl.*}, a
 * schema registry), through {@link KafkaClientSettings}; settings that cannot work stop the
 * start naming the key, and a broker that refuses the login or a topic stops the loop (liveness
 * down with the error).
 */
@ApplicationScoped
public class TrainerService {

    private static final System.Logger LOG = System.getLogger(TrainerService.class.getName());

    private final TrainerConfig config;
    private final Map<String, Object> kafka;
    private final TrainerMeters meters;
    private final Optional<String> schemaRegistryUrl;
    private TrainerLoop loop;
    private Thread thread;
    private volatile Throwable failure;
    private volatile boolean finished;

    TrainerService(TrainerConfig config,
            @Identifier("default-kafka-broker") Map<String, Object> kafka,
            @ConfigProperty(name = "mp.messaging.connector.smallrye-kafka.schema.registry.url")
            Optional<String> schemaRegistryUrl,
            TrainerMeters meters) {
        this.schemaRegistryUrl = schemaRegistryUrl;
        this.config = config;
        this.kafka = kafka;
        this.meters = meters;
    }

    /**
     * Deletes the versions retention lets go; a failure is logged, never fatal: training goes
     * on, and the next checkpoint prunes again.
     */
    private static void prune(CheckpointRetention retention, CheckpointDirectory store) {
        try {
            List<Long> deleted = retention.prune(store);
            if (!deleted.isEmpty()) {
                LOG.log(System.Logger.Level.INFO, "pruned checkpoint versions " + deleted);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not prune " + store.root(), e);
        }
    }

    void start(@Observes StartupEvent started) {
        TrainerConfigChecks.requireValid(config);
        if (!TrainingMalloc.inEffect(System.getenv())) {
            LOG.log(System.Logger.Level.WARNING, "glibc malloc runs with other settings than "
                    + TrainingMalloc.ENVIRONMENT + " (environment variables, set at start-up by "
                    + "./pipeline and the images): on the CPU a full fine-tuning step took up to "
                    + "25% longer without them, a LoRA step 3-5%");
        }
        KafkaClientSettings settings = kafkaSettings();
        CheckpointSigner signer = CheckpointSigning.signer(config);
        BaseModel baseModel = new BaseModel(BaseModelName.of(config),
                BaseModelIdentity.sha256(config.model()));
        loop = new TrainerLoop(config, baseModel, signer,
                new KafkaConsumer<>(consumerProperties(settings,
                        config.topics().progressGroup()), new StringDeserializer(),
                        new ByteArrayDeserializer()),
                new KafkaProducer<>(producerProperties(settings, "trainer-checkpoints",
                        PolicyCheckpointSerializer.class, TrainerRecordSizes.CHECKPOINT_BYTES)),
                // One producer for step metrics and held-out evaluations: one topic, in order.
                new KafkaProducer<>(producerProperties(settings, "trainer-metrics",
                        MetricsEventSerializer.class, TrainerRecordSizes.METRICS_BYTES)),
                new KafkaProducer<>(producerProperties(settings, "trainer-dead-letters",
                        ByteArraySerializer.class, TrainerRecordSizes.SCORED_GROUP_BYTES)),
                meters, Clock.systemUTC(), settings.asMap());
        CheckpointRetention retention = CheckpointRetention.of(config.checkpoints());
        CheckpointDirectory store = new CheckpointDirectory(config.store());
        loop.afterCheckpoint(written -> prune(retention, store));
        thread = new Thread(() -> {
            try {
                loop.run();
                finished = finished();
                if (finished && config.exitAtMaxSteps()) {
                    LOG.log(System.Logger.Level.INFO, "reached trainer.max-steps="
                            + config.maxSteps() + " at version " + loop.version() + ": exiting");
                    Quarkus.asyncExit(0);
                }
            } catch (Throwable e) {
                failure = e;
                loop.watch().died(e);
                LOG.log(System.Logger.Level.ERROR, "the trainer stopped on an error", e);
            }
        }, "trainer-loop");
        thread.start();
    }

    void stop(@Observes ShutdownEvent stopping) throws InterruptedException {
        if (loop != null) {
            loop.stop();
            thread.join(TimeUnit.MINUTES.toMillis(2));
        }
    }

    /** Whether the loop has taken {@code max-steps} steps (never when max-steps is 0). */
    private boolean finished() {
        return config.maxSteps() > 0 && loop.step() >= config.maxSteps();
    }

    /** Whether the loop runs (false after it stopped on an error or reached max-steps). */
    public boolean alive() {
        return thread != null && thread.isAlive();
    }

    /** The error the loop stopped on, if any. */
    public Throwable failure() {
        return failure;
    }

    /**
     * Whether the loop is well: UP while it runs and makes progress on the work in hand, and
     * after it finished {@code max-steps}; DOWN once it stopped on an error, its thread is gone
     * or it stalled ({@code trainer.health.stall-after}).
     */
    public WorkerWatch.Status loopStatus() {
        if (loop == null) {
            return new WorkerWatch.Status(true, "trainer-loop not started");
        }
        if (finished) {
            return new WorkerWatch.Status(true, "trainer-loop finished trainer.max-steps="
                    + config.maxSteps());
        }
        return loop.watch().status();
    }

    private static Map<String, Object> consumerProperties(KafkaClientSettings settings,
            String progressGroup) {
        Map<String, Object> props = settings.assignedConsumer("trainer-scored");
        // Assigned, never a member: the group only receives how far the trainer has taken up
        // the scored groups, so that its lag reads like any stage's
        // (scored.ProgressReport).
        props.put(ConsumerConfig.GROUP_ID_CONFIG, progressGroup);
        // Only what the upstream stages committed: an aborted transaction's groups never count.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                IsolationLevel.READ_COMMITTED.toString());
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 16);
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, TrainerRecordSizes.SCORED_FETCH_BYTES);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                TrainerRecordSizes.SCORED_GROUP_BYTES);
        return props;
    }

    /**
     * The channels' Kafka settings, plus the schema registry named at the connector level (the
     * serdes see every setting: {@code schema.registry.url}, {@code basic.auth.*}).
     */
    private KafkaClientSettings kafkaSettings() {
        Map<String, Object> settings = new HashMap<>(kafka);
        schemaRegistryUrl.ifPresent(url -> settings.putIfAbsent("schema.registry.url", url));
        return KafkaClientSettings.of(settings);
    }

    /**
     * A producer's settings, its largest request that of its topic; the Kafka client makes and
     * configures its serializers.
     */
    private static Map<String, Object> producerProperties(KafkaClientSettings settings,
            String clientId, Class<?> valueSerializer, int maxRequestSize) {
        Map<String, Object> props = settings.producer(clientId);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRequestSize);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, valueSerializer);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return props;
    }
}
