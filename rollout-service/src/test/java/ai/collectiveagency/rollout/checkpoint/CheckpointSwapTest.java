package ai.collectiveagency.rollout.checkpoint;

import ai.collectiveagency.selfplay.checkpoint.RefusalReason;
import ai.collectiveagency.selfplay.checkpoint.TestCheckpoints;
import ai.collectiveagency.selfplay.checkpoint.TestKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.policy.Policy;
import ai.collectiveagency.policy.checkpoint.AdapterCheckpoint;
import ai.collectiveagency.policy.checkpoint.CheckpointLease;
import ai.collectiveagency.policy.checkpoint.CheckpointLeases;
import ai.collectiveagency.selfplay.TeacherForcing;
import ai.collectiveagency.selfplay.TestTasks;
import ai.collectiveagency.schemas.PolicyCheckpoint;
import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.schemas.RolloutGroup;
import ai.collectiveagency.schemas.TaskMode;
import ai.collectiveagency.schemas.Trajectory;
import ai.collectiveagency.schemas.Turn;
import ai.collectiveagency.schemas.kafka.PromptTaskSerializer;
import ai.collectiveagency.schemas.kafka.RolloutGroupDeserializer;
import ai.collectiveagency.schemas.signing.CheckpointSigner;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.common.http.TestHTTPResource;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Checkpoints on the real broker with {@code qwen2-tiny-random} (the {@code %test} profile: G=2,
 * T=3, 8 tokens a turn). The service starts with a checkpoint already on the topic, then adopts
 * a new one and refuses a tampered one while tasks keep streaming in, then refuses forged
 * records (unsigned, another key's, a foreign URI, version {@code Long.MAX_VALUE}) and still
 * adopts the trainer's next one. The methods run in order: each starts from what the one before
 * left served.
 */
@QuarkusTest
@WithTestResource(CheckpointKafkaResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CheckpointSwapTest {

    private static final Duration DEADLINE = Duration.ofSeconds(180);
    private static final Duration TASK_EVERY = Duration.ofMillis(300);
    private static final TopicCatalogue TOPICS = TopicCatalogue.defaults();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    // a default, because every @QuarkusTest's injection points are checked in each application
    @ConfigProperty(name = CheckpointKafkaResource.STORE_KEY, defaultValue = "unset")
    Path store;

    @ConfigProperty(name = CheckpointKafkaResource.SIGNING_KEY, defaultValue = "unset")
    Path signingKey;

    @Inject
    CheckpointFollower follower;

    @TestHTTPResource(value = "/metrics", management = true)
    URL prometheus;

    @TestHTTPResource(value = "/health/live", management = true)
    URL liveness;

    @Test
    @Order(1)
    void checkpointOnTheTopicBeforeStartIsServedFromTheFirstGroup() {
        try (Groups groups = new Groups("start-");
                KafkaProducer<String, PromptTask> tasks = producer()) {
            send(tasks, "start-1");
            send(tasks, "start-2");
            groups.awaitUntil(() -> groups.byTask.size() == 2);
            assertThat(groups.byTask).allSatisfy(g -> assertThat(version(g))
                    .isEqualTo(CheckpointKafkaResource.STARTUP_VERSION));
        }
        assertThat(follower.metrics().adoptedCount()).isEqualTo(1);
    }

    @Test
    @Order(2)
    void checkpointPublishedUnderLoadIsSwappedInAndATamperedOneIsRefused() throws Exception {
        CheckpointSigner trainer = CheckpointSigner.fromPem(signingKey);
        PolicyCheckpoint next = TestCheckpoints.lora(store.resolve("v2"), 2, trainer);
        PolicyCheckpoint tampered = TestCheckpoints.lora(store.resolve("v3"), 3, trainer);
        TestCheckpoints.tamper(store.resolve("v3"));
        List<String> sent = new CopyOnWriteArrayList<>();
        int sentBeforeRefusal;
        try (Groups groups = new Groups("stream-"); TaskStream stream = new TaskStream(sent)) {
            groups.awaitUntil(() -> groups.byTask.size() >= 2);
            publishUndecodable();
            CheckpointKafkaResource.publish(bootstrapServers, next);
            groups.awaitUntil(() -> groups.byTask.stream().anyMatch(g -> version(g) == 2));
            CheckpointKafkaResource.publish(bootstrapServers, tampered);
            groups.awaitUntil(() -> follower.metrics().refusedCount(RefusalReason.CORRUPT) == 1);
            sentBeforeRefusal = sent.size();
            groups.awaitUntil(() -> sent.size() >= sentBeforeRefusal + 3);
            stream.close();
            groups.awaitUntil(() -> groups.byTask.size() >= sent.size());
            groups.drain(Duration.ofSeconds(2)); // a duplicate would arrive now

            assertThat(groups.keys).as("one group per task, none lost, none twice")
                    .containsExactlyInAnyOrderElementsOf(sent);
            assertThat(groups.byTask.stream()
                    .sorted(Comparator.comparing(RolloutGroup::getCreatedAt))
                    .map(CheckpointSwapTest::version).toList())
                    .as("versions in the order groups were made: forward only, never 3")
                    .isSorted().containsOnly(1L, 2L).contains(1L, 2L);
            assertThat(sent.subList(sentBeforeRefusal, sent.size()))
                    .as("tasks sent after the refusal").allSatisfy(id ->
                            assertThat(version(groups.of(id))).isEqualTo(2L));
            assertSampledBy(groups.byTask.stream().filter(g -> version(g) == 2).findFirst()
                    .orElseThrow(), store.resolve("v2"));
        }
        assertThat(follower.metrics().adoptedCount()).isEqualTo(2);
        assertThat(follower.metrics().refusedCount(RefusalReason.MALFORMED)).isEqualTo(1);
        try (InputStream in = prometheus.openStream()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .contains("rollout_policy_version 2.0")
                    .contains("rollout_checkpoints_adopted_total 2.0")
                    .containsPattern(
                            "rollout_checkpoints_refused_total\\{reason=\"corrupt\",?} 1\\.0")
                    .contains("rollout_checkpoint_load_seconds_count 2.0")
                    .contains("rollout_checkpoint_swap_seconds_count 2.0");
        }
    }

    @Test
    @Order(3)
    void forgedRecordsAreRefusedAndTheTrainersNextCheckpointIsStillAdopted() throws Exception {
        CheckpointSigner trainer = CheckpointSigner.fromPem(signingKey);
        CheckpointSigner attacker = TestKeys.generate().signer();
        PolicyCheckpoint genuine = TestCheckpoints.lora(store.resolve("v4"), 4, trainer);
        PolicyCheckpoint unsignedMax = PolicyCheckpoint.newBuilder(genuine).setKeyId(null)
                .setSignature(null).setVersion(Long.MAX_VALUE).build();
        PolicyCheckpoint foreignUri = attacker.sign(PolicyCheckpoint.newBuilder(unsignedMax)
                .setVersion(10).setUri("file:///etc/").build());
        PolicyCheckpoint otherKeyMax = attacker.sign(PolicyCheckpoint.newBuilder(unsignedMax)
                .build());
        for (PolicyCheckpoint forged : List.of(unsignedMax, foreignUri, otherKeyMax)) {
            CheckpointKafkaResource.publish(bootstrapServers, forged);
        }
        try (Groups groups = new Groups("after-forgery-");
                KafkaProducer<String, PromptTask> tasks = producer()) {
            groups.awaitUntil(() -> follower.metrics().refusedCount(RefusalReason.UNSIGNED) == 1
                    && follower.metrics().refusedCount(RefusalReason.UNKNOWN_KEY) == 2);
            CheckpointKafkaResource.publish(bootstrapServers, genuine);
            groups.awaitUntil(() -> follower.metrics().adoptedCount() == 3);
            send(tasks, "after-forgery-1");
            groups.awaitUntil(() -> groups.byTask.size() == 1);
            assertThat(version(groups.byTask.get(0))).isEqualTo(4L);
        }
        try (InputStream in = prometheus.openStream()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .contains("rollout_policy_version 4.0")
                    .containsPattern(
                            "rollout_checkpoints_refused_total\\{reason=\"unsigned\",?} 1\\.0")
                    .containsPattern(
                            "rollout_checkpoints_refused_total\\{reason=\"unknown_key\",?} 2\\.0");
        }
    }

    @Test
    @Order(4)
    void theFollowerIsLiveAndItsLeaseNamesTheServedVersion() throws Exception {
        try (InputStream in = liveness.openStream()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .contains("\"worker-threads\"").contains("\"checkpoint-follower\"")
                    .doesNotContain("DOWN");
        }
        assertThat(CheckpointLeases.of(store).heldAt(Instant.now()))
                .extracting(CheckpointLease::serving, CheckpointLease::loading)
                .containsExactly(tuple(4L, null));
    }

    /** A record that is no PolicyCheckpoint: skipped and counted, the next one still read. */
    private void publishUndecodable() throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", bootstrapServers), new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(CheckpointKafkaResource.TOPIC, "garbage",
                    "not avro".getBytes(StandardCharsets.UTF_8))).get();
        }
    }

    /** The group's log-probs are the adapter's (1e-4) and not the base model's. */
    private static void assertSampledBy(RolloutGroup group, Path adapterFolder) {
        Turn turn = group.getTrajectories().get(0).getTurns().get(0);
        int[] prompt = turn.getPromptTokenIds().stream().mapToInt(Integer::intValue).toArray();
        int[] completion = turn.getCompletionTokenIds().stream().mapToInt(Integer::intValue)
                .toArray();
        try (Policy policy = Policy.load(TestTasks.MODEL)) {
            float[] base = TeacherForcing.logprobs(policy.model(), prompt, completion,
                    turn.getTemperature());
            policy.model().setAdapter(AdapterCheckpoint.load(adapterFolder, policy.model()));
            float[] adapted = TeacherForcing.logprobs(policy.model(), prompt, completion,
                    turn.getTemperature());
            float largestChange = 0;
            for (int t = 0; t < completion.length; t++) {
                assertThat(turn.getCompletionLogprobs().get(t)).isCloseTo(adapted[t],
                        within(1e-4f));
                largestChange = Math.max(largestChange, Math.abs(adapted[t] - base[t]));
            }
            assertThat(largestChange).as("the adapter changes the distribution")
                    .isGreaterThan(0.01f);
        }
    }

    private static long version(RolloutGroup group) {
        List<Long> versions = group.getTrajectories().stream().map(Trajectory::getPolicyVersion)
                .distinct().toList();
        assertThat(versions).as("one version per group").hasSize(1);
        return versions.get(0);
    }

    private KafkaProducer<String, PromptTask> producer() {
        return new KafkaProducer<>(Map.of("bootstrap.servers", bootstrapServers),
                new StringSerializer(), new PromptTaskSerializer());
    }

    private static void send(KafkaProducer<String, PromptTask> producer, String id) {
        producer.send(new ProducerRecord<>(TOPICS.name(LogicalTopic.PROMPTS), id,
                TestTasks.task(id, TaskMode.SINGLE, id.hashCode())));
        producer.flush();
    }

    /** Sends a task every {@link #TASK_EVERY} until closed. */
    private final class TaskStream implements AutoCloseable {

        private final Thread thread;
        private volatile boolean running = true;

        TaskStream(List<String> sent) {
            thread = new Thread(() -> {
                try (KafkaProducer<String, PromptTask> producer = producer()) {
                    for (int i = 0; running; i++) {
                        String id = "stream-" + i;
                        send(producer, id);
                        sent.add(id);
                        Thread.sleep(TASK_EVERY.toMillis());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "task-stream");
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join();
        }
    }

    /** Groups from the rollouts topic, read from the start, by a consumer of its own. */
    private final class Groups implements AutoCloseable {

        final KafkaConsumer<String, RolloutGroup> consumer;
        final List<String> keys = new ArrayList<>();
        final List<RolloutGroup> byTask = new ArrayList<>();
        private final String prefix;

        /** Groups of the tasks whose id starts with {@code prefix}. */
        Groups(String prefix) {
            this.prefix = prefix;
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            props.put(ConsumerConfig.GROUP_ID_CONFIG, "checkpoint-test-" + UUID.randomUUID());
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                    new RolloutGroupDeserializer());
            consumer.subscribe(List.of(TOPICS.name(LogicalTopic.ROLLOUTS)));
        }

        /** Polls until {@code done} holds; fails after {@link #DEADLINE}. */
        void awaitUntil(BooleanSupplier done) {
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (!done.getAsBoolean()) {
                assertThat(System.nanoTime()).as("waited %s", DEADLINE).isLessThan(deadline);
                poll(Duration.ofMillis(200));
            }
        }

        void drain(Duration time) {
            long end = System.nanoTime() + time.toNanos();
            while (System.nanoTime() < end) {
                poll(Duration.ofMillis(200));
            }
        }

        RolloutGroup of(String taskId) {
            return byTask.stream().filter(g -> g.getTask().getTaskId().equals(taskId))
                    .findFirst().orElseThrow();
        }

        private void poll(Duration timeout) {
            consumer.poll(timeout).forEach(r -> {
                if (r.key().startsWith(prefix)) {
                    keys.add(r.key());
                    byTask.add(r.value());
                }
            });
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
