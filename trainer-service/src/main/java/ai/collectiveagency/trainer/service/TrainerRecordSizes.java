package ai.collectiveagency.trainer.service;

/**
 * The sizes of the trainer's Kafka clients, which follow the topic catalogue's
 * {@code max.message.bytes} of each topic (kafka-local's {@code TopicCatalogue}; the service
 * does not depend on the broker's module, so a test holds these to it): a producer's
 * {@code max.request.size} is its topic's limit, so that what it lets through the broker takes,
 * and the consumer fetches a whole largest group from each partition.
 */
final class TrainerRecordSizes {

    /** Scored groups and their dead letters: {@code alignment.scored(.dlq)}, 16 MiB. */
    static final int SCORED_GROUP_BYTES = 16 * 1024 * 1024;
    /** Checkpoint manifests: {@code alignment.checkpoints}, 256 KiB. */
    static final int CHECKPOINT_BYTES = 256 * 1024;
    /** Step metrics and held-out evaluations: {@code alignment.metrics}, 1 MiB. */
    static final int METRICS_BYTES = 1024 * 1024;
    /** One fetch of scored: a largest group from each of up to four partitions. */
    static final int SCORED_FETCH_BYTES = 4 * SCORED_GROUP_BYTES;

    private TrainerRecordSizes() {
    }
}
