package ai.collectiveagency.schemas.kafka.stage;

import ai.collectiveagency.schemas.kafka.KafkaClientSettings;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link TransactionalStage} reads, writes and retries.
 *
 * @param inputTopic the topic it consumes, in consumer group {@code groupId}
 * @param transactionalId its producer's transactional id: one per replica, the same across a
 *     replica's restarts, so that a restarted replica aborts at once what its killed
 *     predecessor left open (with a new id, such a transaction holds back read_committed
 *     readers until {@code transactionTimeout})
 * @param deadLetterTopic where records it cannot handle go, with the reason
 * @param maxBatch most records per batch (and per poll)
 * @param maxWait how long a batch waits to fill once its first record came
 * @param maxAttempts attempts at one input that keeps failing before it is dead-lettered
 * @param retryBackoff pause before an input is tried again, and after an aborted batch
 * @param maxPollInterval the longest a batch may take to handle: Kafka's
 *     {@code max.poll.interval.ms}, after which the group gives the partitions to another member
 * @param transactionTimeout Kafka's {@code transaction.timeout.ms}: a transaction is open only
 *     while a handled batch is written, so this can be short
 * @param maxMessageBytes the largest record it writes or reads (the topics' max.message.bytes)
 */
public record StageConfig(String inputTopic, String groupId, String transactionalId,
        String deadLetterTopic, int maxBatch, Duration maxWait, int maxAttempts,
        Duration retryBackoff, Duration maxPollInterval, Duration transactionTimeout,
        int maxMessageBytes, KafkaClientSettings kafka) {

    public StageConfig {
        Objects.requireNonNull(inputTopic, "inputTopic");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(transactionalId, "transactionalId");
        Objects.requireNonNull(deadLetterTopic, "deadLetterTopic");
        Objects.requireNonNull(kafka, "kafka");
        if (maxBatch < 1 || maxAttempts < 1 || maxMessageBytes < 1) {
            throw new IllegalArgumentException("maxBatch, maxAttempts and maxMessageBytes must be"
                    + " at least 1: " + maxBatch + ", " + maxAttempts + ", " + maxMessageBytes);
        }
    }
}
