package ai.collectiveagency.trainer.scored;

import ai.collectiveagency.schemas.ScoredGroup;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/** A scored group as read: the decoded group and the record it came in (for its DLQ copy). */
public record ScoredRecord(ConsumerRecord<String, byte[]> record, ScoredGroup group) {

    public TopicPartition partition() {
        return new TopicPartition(record.topic(), record.partition());
    }

    public long offset() {
        return record.offset();
    }

    public String taskId() {
        return group.getGroup().getTask().getTaskId();
    }

    public String groupId() {
        return group.getGroup().getGroupId();
    }
}
