package ai.collectiveagency.rollout.checkpoint;

import ai.collectiveagency.selfplay.checkpoint.TestCheckpoints;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.kafka.LocalKafka;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.PipelineClient;
import ai.collectiveagency.schemas.CheckpointFormat;
import ai.collectiveagency.schemas.PolicyCheckpoint;
import ai.collectiveagency.schemas.health.WorkerWatch;
import ai.collectiveagency.schemas.kafka.PolicyCheckpointDeserializer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The follower thread on the real broker: an {@link Error} while a record is handled is
 * survived (the next announcement is still handled, liveness stays UP); the JVM failing ends
 * the thread and turns its watch DOWN.
 */
@Timeout(120)
class CheckpointFollowLoopTest {

    private static final Duration POLL = Duration.ofMillis(200);
    private static LocalKafka kafka;
    private static String topic;

    @BeforeAll
    static void startBroker() {
        kafka = LocalKafka.startTemporary();
        topic = kafka.catalogue().name(LogicalTopic.CHECKPOINTS);
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    /** An unsigned record is enough: the loop hands records on, the adopter judges them. */
    private static PolicyCheckpoint announce(long version) {
        PolicyCheckpoint record = TestCheckpoints.record(version, Path.of("/none/v" + version),
                "0".repeat(64), CheckpointFormat.LORA, TestCheckpoints.BASE);
        CheckpointKafkaResource.publish(kafka.bootstrapServers(), record);
        return record;
    }

    private static CheckpointTopicReader<PolicyCheckpoint> reader() {
        return CheckpointTopicReader.checkpoints(kafka.clientSettings(PipelineClient.ROLLOUT_SERVICE),
                topic, new PolicyCheckpointDeserializer(),
                new CheckpointMetrics(new SimpleMeterRegistry()));
    }

    private static Thread start(CheckpointFollowLoop loop) {
        Thread thread = new Thread(loop, "checkpoint-follower-test");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @Test
    void anErrorWhileHandlingARecordIsSurvivedAndTheNextOneIsHandled() throws Exception {
        WorkerWatch watch = new WorkerWatch(CheckpointFollower.WATCH, Duration.ofMinutes(1));
        BlockingQueue<Long> handled = new LinkedBlockingQueue<>();
        Consumer<List<PolicyCheckpoint>> adopter = checkpoints -> {
            for (PolicyCheckpoint c : checkpoints) {
                if (c.getVersion() == 101) {
                    throw new StackOverflowError("a record that recurses for ever");
                }
                handled.add(c.getVersion());
            }
        };
        try (CheckpointTopicReader<PolicyCheckpoint> reader = reader()) {
            CheckpointFollowLoop loop = new CheckpointFollowLoop(reader::poll, adopter, watch,
                    POLL);
            Thread thread = start(loop);
            announce(101);
            announce(102);
            // 101 alone, or read with 102 and 103 in one batch: the loop must go on to 103
            announce(103);
            Long version;
            do {
                version = handled.poll(60, TimeUnit.SECONDS);
            } while (version != null && version != 103);

            assertThat(version).isEqualTo(103L);
            assertThat(thread.isAlive()).isTrue();
            assertThat(watch.status().up()).isTrue();
            assertThat(handled).doesNotContain(101L);
            loop.stop();
            reader.wakeup();
            thread.join(10_000);
        }
    }

    @Test
    void theJvmFailingEndsTheThreadAndLivenessGoesDown() throws Exception {
        WorkerWatch watch = new WorkerWatch(CheckpointFollower.WATCH, Duration.ofMinutes(1));
        try (CheckpointTopicReader<PolicyCheckpoint> reader = reader()) {
            Thread thread = start(new CheckpointFollowLoop(reader::poll, checkpoints -> {
                throw new OutOfMemoryError("Java heap space");
            }, watch, POLL));
            announce(201);
            thread.join(60_000);

            assertThat(thread.isAlive()).isFalse();
            assertThat(watch.status().up()).isFalse();
            assertThat(watch.status().detail()).contains("died").contains("Java heap space");
        }
    }
}
