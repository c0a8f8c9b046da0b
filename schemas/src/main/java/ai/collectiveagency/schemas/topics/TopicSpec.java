package ai.collectiveagency.schemas.topics;

import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * One topic as it should exist on the cluster.
 *
 * @param name full topic name, prefix included
 * @param partitions partition count, at least 1
 * @param replicationFactor replicas per partition, at least 1
 * @param cleanupPolicy {@link TopicConfig#CLEANUP_POLICY_DELETE} or
 *     {@link TopicConfig#CLEANUP_POLICY_COMPACT}
 * @param retentionMs how long records are kept; -1 keeps them forever
 * @param maxMessageBytes the largest record batch the topic accepts ({@code max.message.bytes});
 *     a producer of the topic sets its {@code max.request.size} to it, so that what the
 *     producer lets through the broker takes, and a consumer its
 *     {@code max.partition.fetch.bytes}
 * @param access who writes and who reads it: the ACLs of a secured cluster derive from it
 */
public record TopicSpec(
        String name, int partitions, short replicationFactor, String cleanupPolicy,
        long retentionMs, int maxMessageBytes, TopicAccess access) {

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(access, "access");
        if (name.isBlank()) {
            throw new IllegalArgumentException("topic name is blank");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions < 1 for " + name);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replication factor < 1 for " + name);
        }
        if (!TopicConfig.CLEANUP_POLICY_DELETE.equals(cleanupPolicy)
                && !TopicConfig.CLEANUP_POLICY_COMPACT.equals(cleanupPolicy)) {
            throw new IllegalArgumentException("unknown cleanup policy " + cleanupPolicy);
        }
        if (retentionMs < -1) {
            throw new IllegalArgumentException("retention < -1 for " + name);
        }
        if (maxMessageBytes < 1) {
            throw new IllegalArgumentException("max message bytes < 1 for " + name);
        }
    }

    /** True when only the latest record per key is kept. */
    public boolean compacted() {
        return TopicConfig.CLEANUP_POLICY_COMPACT.equals(cleanupPolicy);
    }

    /** The topic-level configs this spec sets on creation. */
    public Map<String, String> configs() {
        return Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy,
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(retentionMs),
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(maxMessageBytes));
    }

    /** The admin-client request that creates this topic. */
    public NewTopic toNewTopic() {
        return new NewTopic(name, partitions, replicationFactor).configs(configs());
    }
}
