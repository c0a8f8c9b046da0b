package ai.collectiveagency.schemas.kafka.stage;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** An input record of a batch, decoded. */
public record Input<I>(ConsumerRecord<String, byte[]> record, I value) {

    public String key() {
        return record.key();
    }
}
