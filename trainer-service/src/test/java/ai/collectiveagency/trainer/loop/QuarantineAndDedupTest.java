package ai.collectiveagency.trainer.loop;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.kafka.LocalKafka;
import ai.collectiveagency.schemas.ScoredGroup;
import ai.collectiveagency.schemas.kafka.DeadLetters;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import ai.collectiveagency.trainer.LedgerView;
import ai.collectiveagency.trainer.TestGroups;
import ai.collectiveagency.trainer.checkpoint.CheckpointDirectory;
import ai.collectiveagency.trainer.checkpoint.TrainerState;
import ai.collectiveagency.trainer.ledger.LedgerEntry;
import ai.collectiveagency.trainer.service.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the trainer cannot train on, on the real broker with the loop driven directly (two
 * groups a step, a checkpoint every step, the tiny model): a tombstone and a record that does
 * not decode go to the DLQ with their reasons and origin and training goes on; a group delivered
 * twice, in one run or after a restart, is trained once and the copy is in the ledger as a
 * duplicate; the checkpoint's state file keeps its size as steps go by.
 */
class QuarantineAndDedupTest {

    private static final String PREFIX = "quarantine.";
    private static LocalKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = LocalKafka.startTemporary();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void poisonGoesToTheDlqAndAGroupDeliveredTwiceIsTrainedOnce(@TempDir Path store)
            throws Exception {
        TestLoop.ensureTopics(kafka, PREFIX);
        Topics topics = new Topics(kafka.bootstrapServers(), PREFIX);
        ScoredGroup first = group("d-1");
        topics.send(List.of(first));
        topics.sendBytes("d-tomb", null);
        topics.sendBytes("d-junk", "not a ScoredGroup".getBytes(StandardCharsets.UTF_8));
        topics.send(List.of(group("d-2"), first, group("d-3"), group("d-4"), group("d-5"),
                group("d-6")));
        TestLoop.RecordingListener listener = new TestLoop.RecordingListener();

        TrainerLoop loop = TestLoop.run(kafka, TestLoop.config(PREFIX, store, 3), listener,
                () -> true);

        assertThat(loop.step()).as("training went on past the poison").isEqualTo(3);
        List<ConsumerRecord<String, byte[]>> dead = topics.deadLetters(2, TestLoop.DEADLINE);
        assertThat(dead).extracting(ConsumerRecord::key).containsExactly("d-tomb", "d-junk");
        assertThat(dead).extracting(r -> reason(r).substring(0, reason(r).indexOf(':')))
                .containsExactly("tombstone", "undecodable");
        assertThat(dead).extracting(r -> DeadLetters.header(r.headers(), DeadLetters.OFFSET)
                .orElseThrow()).containsExactly("1", "2");
        assertThat(dead.get(1).value()).as("the original bytes")
                .isEqualTo("not a ScoredGroup".getBytes(StandardCharsets.UTF_8));
        Path v3 = store.resolve("v000003");
        LedgerView ledger = LedgerView.of(v3);
        assertThat(ledger.steps()).containsExactly(List.of("d-1", "d-2"), List.of("d-3", "d-4"),
                List.of("d-5", "d-6"));
        assertThat(ledger.deadLettered()).containsExactly("d-tomb: tombstone",
                "d-junk: undecodable");
        assertThat(ledger.of(LedgerEntry.Kind.DUPLICATE)).extracting(LedgerEntry::groupId)
                .containsExactly("d-1-g");
        assertThat(listener.dropped).containsExactly("tombstone", "undecodable", "duplicate");
        assertThat(TrainerState.read(v3).consumedOffsets()).containsEntry(
                TopicCatalogue.withPrefix(PREFIX).name(LogicalTopic.SCORED) + "-0", 9L);
        assertThat(Files.size(v3.resolve(TrainerState.FILE)))
                .as("the state file after three steps is the size of the first one's")
                .isEqualTo(Files.size(store.resolve("v000001").resolve(TrainerState.FILE)));

        // After a restart the copy is found through the saved filter and the ledger files.
        topics.send(List.of(group("d-3"), group("d-7"), group("d-8")));
        TestLoop.run(kafka, TestLoop.config(PREFIX, store, 4), new TestLoop.RecordingListener(),
                () -> true);

        LedgerView after = LedgerView.of(new CheckpointDirectory(store).latestValid()
                .orElseThrow());
        assertThat(after.steps()).hasSize(4).last().isEqualTo(List.of("d-7", "d-8"));
        assertThat(after.of(LedgerEntry.Kind.DUPLICATE)).extracting(LedgerEntry::groupId)
                .containsExactly("d-1-g", "d-3-g");
        assertThat(after.of(LedgerEntry.Kind.TRAINED)).extracting(LedgerEntry::groupId)
                .doesNotHaveDuplicates();
    }

    private static ScoredGroup group(String taskId) {
        return TestGroups.group(taskId, 0, 1, 0, 0.5, 0.2);
    }

    private static String reason(ConsumerRecord<String, byte[]> record) {
        return DeadLetters.header(record.headers(), DeadLetters.REASON).orElseThrow();
    }
}
