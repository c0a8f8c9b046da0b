package ai.collectiveagency.trainer.loop;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.kafka.LocalKafka;
import ai.collectiveagency.schemas.ScoredGroup;
import ai.collectiveagency.trainer.service.Topics;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import ai.collectiveagency.policy.checkpoint.BaseModelIdentity;
import ai.collectiveagency.schemas.kafka.MetricsEventSerializer;
import ai.collectiveagency.schemas.kafka.PolicyCheckpointSerializer;
import ai.collectiveagency.schemas.signing.CheckpointSigner;
import ai.collectiveagency.schemas.signing.Ed25519Keys;
import ai.collectiveagency.trainer.TestConfigs;
import ai.collectiveagency.trainer.checkpoint.BaseModel;
import ai.collectiveagency.trainer.config.TrainerConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A {@link TrainerLoop} driven directly on the real broker, on a thread of its own, with the
 * settings of the service tests (the tiny adapter, two groups a step, a checkpoint every step)
 * and its topics under a prefix of its own.
 */
final class TestLoop {

    static final Duration DEADLINE = Duration.ofSeconds(120);
    static final String BASE_MODEL = "qwen2-tiny-random";
    /** A signing key made for the test: no private key is committed. */
    private static final CheckpointSigner SIGNER =
            new CheckpointSigner(Ed25519Keys.generate().getPrivate());
    private static final Map<String, String> SETTINGS = Map.of(
            "trainer.groups-per-step", "2", "trainer.checkpoint-every", "1",
            "trainer.learning-rate", "1e-3", "trainer.lora.rank", "4",
            "trainer.lora.alpha", "8", "trainer.micro-batch-rows", "4");

    private TestLoop() {
    }

    /** Creates the catalogue's topics under {@code prefix}. */
    static void ensureTopics(LocalKafka kafka, String prefix) throws Exception {
        try (Admin admin = kafka.createAdmin()) {
            TopicCatalogue.withPrefix(prefix).ensureTopics(admin);
        }
    }

    static TrainerConfig config(String prefix, Path store, long maxSteps) {
        return config(prefix, store, maxSteps, Map.of());
    }

    /** As {@link #config(String, Path, long)}, with {@code more} settings over the test's. */
    static TrainerConfig config(String prefix, Path store, long maxSteps,
            Map<String, String> more) {
        TopicCatalogue topics = TopicCatalogue.withPrefix(prefix);
        Map<String, String> settings = new HashMap<>(SETTINGS);
        settings.putAll(more);
        settings.putAll(Map.of("trainer.max-steps", String.valueOf(maxSteps),
                "trainer.store", store.toString(),
                "trainer.topics.scored", topics.name(LogicalTopic.SCORED),
                "trainer.topics.scored-dead-letters", topics.dlqName(LogicalTopic.SCORED),
                "trainer.topics.checkpoints", topics.name(LogicalTopic.CHECKPOINTS),
                "trainer.topics.metrics", topics.name(LogicalTopic.METRICS)));
        return TestConfigs.config(settings);
    }

    /**
     * Runs a loop with {@code config} until it ends by itself ({@code max-steps} above 0), else
     * until {@code done} holds and it is stopped; asserts that it ended without an error.
     *
     * @return the loop, ended
     */
    static TrainerLoop run(LocalKafka kafka, TrainerConfig config, StepListener listener,
            BooleanSupplier done) throws Exception {
        Map<String, Object> producer = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        Map<String, Object> consumer = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (var scored = new KafkaConsumer<>(consumer, new StringDeserializer(),
                        new ByteArrayDeserializer());
                var checkpoints = new KafkaProducer<>(producer, new StringSerializer(),
                        new PolicyCheckpointSerializer());
                var metrics = new KafkaProducer<>(producer, new StringSerializer(),
                        new MetricsEventSerializer());
                var deadLetters = new KafkaProducer<>(producer, new StringSerializer(),
                        new ByteArraySerializer())) {
            TrainerLoop loop = new TrainerLoop(config, new BaseModel(BASE_MODEL,
                    BaseModelIdentity.sha256(config.model())), SIGNER, scored, checkpoints,
                    metrics, deadLetters, listener, Clock.systemUTC(), new HashMap<>());
            List<Throwable> failure = new CopyOnWriteArrayList<>();
            Thread thread = new Thread(() -> {
                try {
                    loop.run();
                } catch (Throwable e) {
                    failure.add(e);
                }
            }, "trainer-loop-test");
            thread.start();
            if (config.maxSteps() == 0) {
                long end = System.nanoTime() + DEADLINE.toNanos();
                while (!done.getAsBoolean() && System.nanoTime() < end) {
                    Thread.sleep(20);
                }
                loop.stop();
            }
            thread.join(DEADLINE.toMillis());
            assertThat(thread.isAlive()).as("the loop has ended").isFalse();
            assertThat(failure).as("the loop's error").isEmpty();
            return loop;
        }
    }

    /** What a run left: its topics, its steps, and what its listener was told. */
    record Recorded(Topics topics, long steps, RecordingListener listener) {
    }

    /**
     * Sends {@code groups} to {@code <prefix>scored} and runs a trainer over them with the test's
     * settings and {@code more}, checkpoints in {@code store}: until it stops at {@code maxSteps}
     * (when above 0), else until {@code done} holds for what its listener was told.
     */
    static Recorded train(LocalKafka kafka, String prefix, Path store, List<ScoredGroup> groups,
            Map<String, String> more, long maxSteps, Predicate<RecordingListener> done)
            throws Exception {
        ensureTopics(kafka, prefix);
        Topics topics = new Topics(kafka.bootstrapServers(), prefix);
        topics.send(groups);
        RecordingListener listener = new RecordingListener();
        TrainerLoop loop = run(kafka, config(prefix, store, maxSteps, more), listener,
                () -> done.test(listener));
        return new Recorded(topics, loop.step(), listener);
    }

    /** The loop's events, in order. */
    static final class RecordingListener implements StepListener {
        final List<Long> steps = new CopyOnWriteArrayList<>();
        final List<Map<String, Double>> heldOut = new CopyOnWriteArrayList<>();
        final List<String> dropped = new CopyOnWriteArrayList<>();
        final java.util.concurrent.atomic.AtomicInteger withoutSignal =
                new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public void stepped(long step, long version, Map<String, Double> metrics) {
            steps.add(step);
        }

        @Override
        public void dropped(String reason, long staleness) {
            dropped.add(reason);
        }

        @Override
        public void used(long staleness) {
        }

        @Override
        public void withoutSignal() {
            withoutSignal.incrementAndGet();
        }

        @Override
        public void heldOut(long policyVersion, Map<String, Double> metrics) {
            heldOut.add(metrics);
        }

        @Override
        public void checkpointed(long version, double seconds) {
        }
    }
}
