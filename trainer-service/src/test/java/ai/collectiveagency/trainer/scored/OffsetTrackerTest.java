package ai.collectiveagency.trainer.scored;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

    private static final TopicPartition P0 = new TopicPartition("scored", 0);
    private static final TopicPartition P1 = new TopicPartition("scored", 1);

    @Test
    void aWaitingRecordHoldsTheOffsetBackUntilTheStepIsTaken() {
        OffsetTracker offsets = new OffsetTracker();
        offsets.start(P0, 5);
        offsets.waiting(P0, 5);
        offsets.done(P0, 6); // dropped after a waiting record
        offsets.waiting(P0, 7);

        assertThat(offsets.next(P0)).isEqualTo(5);

        offsets.stepTaken();
        assertThat(offsets.next(P0)).isEqualTo(8);
    }

    @Test
    void droppedRecordsAloneMoveTheOffsetOn() {
        OffsetTracker offsets = new OffsetTracker();
        offsets.start(P0, 0);
        offsets.done(P0, 0);
        offsets.done(P0, 1);

        assertThat(offsets.next(P0)).isEqualTo(2);
    }

    @Test
    void everyStartedPartitionIsCommittableEvenWithoutRecords() {
        OffsetTracker offsets = new OffsetTracker();
        offsets.start(P0, 3);
        offsets.start(P1, 10);
        offsets.waiting(P1, 10);
        offsets.waiting(P0, 3);
        offsets.stepTaken();
        offsets.waiting(P1, 11);

        assertThat(offsets.committable()).isEqualTo(Map.of("scored-0", 4L, "scored-1", 11L));
    }
}
