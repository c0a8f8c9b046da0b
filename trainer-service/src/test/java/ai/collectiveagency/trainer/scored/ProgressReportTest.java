package ai.collectiveagency.trainer.scored;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.schemas.ScoredGroup;
import ai.collectiveagency.schemas.kafka.ScoredGroupSerializer;
import ai.collectiveagency.trainer.TestGroups;
import ai.collectiveagency.trainer.ledger.Ledger;
import ai.collectiveagency.trainer.ledger.SettledGroups;
import ai.collectiveagency.trainer.loop.StepListener;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the trainer commits to its group for lag readers: how far it has taken up the scored
 * groups, never a group it has fetched but not handed over yet.
 */
class ProgressReportTest {

    private static final String TOPIC = "progress-test.scored";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    @TempDir
    Path ledgerFolder;

    @Test
    void aFetchedGroupNotYetHandedOverHoldsTheReportedProgressBack() throws Exception {
        MockConsumer<String, byte[]> consumer = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
        Node node = new Node(0, "localhost", 9092);
        consumer.updatePartitions(TOPIC, List.of(
                new PartitionInfo(TOPIC, 0, node, new Node[] {node}, new Node[] {node}),
                new PartitionInfo(TOPIC, 1, node, new Node[] {node}, new Node[] {node})));
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        SettledGroups settled = SettledGroups.resume(ledgerFolder, Optional.empty(), 1_000, 0.01);
        ScoredTopicReader reader = new ScoredTopicReader(TOPIC, TOPIC + ".dlq", consumer,
                new MockProducer<>(true, null, new StringSerializer(),
                        new ByteArraySerializer()),
                Map.of(), settled, new Ledger(ledgerFolder, settled), StepListener.NONE,
                () -> true);
        reader.assign(Map.of());
        for (int offset = 0; offset < 3; offset++) {
            consumer.addRecord(record(offset, "t-" + offset));
        }

        assertThat(reader.next()).map(ScoredRecord::taskId).contains("t-0");
        awaitNextReport();
        assertThat(reader.next()).map(ScoredRecord::taskId).contains("t-1");
        assertThat(committed(consumer)).as("t-1 and t-2 were fetched, not yet handed over")
                .containsEntry(P0, 1L).containsEntry(P1, 0L);

        assertThat(reader.next()).map(ScoredRecord::taskId).contains("t-2");
        awaitNextReport();
        reader.next();
        assertThat(committed(consumer)).as("every fetched group handed over: the position")
                .containsEntry(P0, 3L).containsEntry(P1, 0L);
    }

    private static void awaitNextReport() throws InterruptedException {
        Thread.sleep(300); // reports go out at most every 250 ms
    }

    private static Map<TopicPartition, Long> committed(MockConsumer<String, byte[]> consumer) {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        consumer.committed(Set.of(P0, P1)).forEach((partition, offset) -> {
            if (offset != null) {
                offsets.put(partition, offset.offset());
            }
        });
        return offsets;
    }

    private static ConsumerRecord<String, byte[]> record(long offset, String taskId) {
        ScoredGroup group = TestGroups.group(taskId, 0, 0.1, 0.9);
        try (ScoredGroupSerializer serializer = new ScoredGroupSerializer()) {
            return new ConsumerRecord<>(TOPIC, 0, offset, taskId,
                    serializer.serialize(TOPIC, group));
        }
    }
}
