package ai.collectiveagency.kafka.topics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Every topic of the pipeline in one place: full names under a prefix, partitions, replication,
 * cleanup policy and retention, and the dead-letter topic of each.
 *
 * <pre>{@code
 * TopicCatalogue topics = TopicCatalogue.withPrefix("alignment.");
 * topics.name(LogicalTopic.PROMPTS);     // "alignment.prompts"
 * topics.dlqName(LogicalTopic.PROMPTS);  // "alignment.prompts.dlq"
 * topics.ensureTopics(admin);           // creates the missing ones
 * }</pre>
 */
public final class TopicCatalogue {

    /** The prefix of DESIGN.md. */
    public static final String DEFAULT_PREFIX = "alignment.";
    /** Partitions of the data topics: a task's group stays on one, keyed by task id. */
    public static final int DEFAULT_PARTITIONS = 3;
    /** One replica: the local single-node broker. Kubernetes overrides it. */
    public static final short DEFAULT_REPLICATION_FACTOR = 1;

    private static final Pattern LEGAL_PREFIX = Pattern.compile("[a-zA-Z0-9._-]*");
    private static final long DATA_RETENTION_MS = Duration.ofDays(7).toMillis();
    private static final long METRICS_RETENTION_MS = Duration.ofDays(30).toMillis();
    private static final long DLQ_RETENTION_MS = Duration.ofDays(14).toMillis();
    private static final long FOREVER = -1;

    private final String prefix;
    private final Map<LogicalTopic, TopicSpec> topics = new EnumMap<>(LogicalTopic.class);
    private final Map<LogicalTopic, TopicSpec> deadLetters = new EnumMap<>(LogicalTopic.class);

    /**
     * @param prefix put before every logical name; may be empty; letters, digits, '.', '_', '-'
     * @param partitions partitions of the keyed data topics
     * @param replicationFactor replicas of every topic
     */
    public TopicCatalogue(String prefix, int partitions, short replicationFactor) {
        Objects.requireNonNull(prefix, "prefix");
        if (!LEGAL_PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("illegal character in topic prefix: " + prefix);
        }
        this.prefix = prefix;
        for (LogicalTopic topic : LogicalTopic.values()) {
            String name = prefix + topic.suffix();
            topics.put(topic, topic == LogicalTopic.CHECKPOINTS
                    // One partition keeps versions in order; compaction keeps the latest.
                    ? new TopicSpec(name, 1, replicationFactor,
                            TopicConfig.CLEANUP_POLICY_COMPACT, FOREVER)
                    : new TopicSpec(name, partitions, replicationFactor,
                            TopicConfig.CLEANUP_POLICY_DELETE, retentionOf(topic)));
            deadLetters.put(topic, new TopicSpec(name + LogicalTopic.DLQ_SUFFIX, 1,
                    replicationFactor, TopicConfig.CLEANUP_POLICY_DELETE, DLQ_RETENTION_MS));
        }
    }

    /** The catalogue of DESIGN.md: prefix {@code alignment.}, local sizes. */
    public static TopicCatalogue defaults() {
        return withPrefix(DEFAULT_PREFIX);
    }

    /** Default sizes under another prefix. */
    public static TopicCatalogue withPrefix(String prefix) {
        return new TopicCatalogue(prefix, DEFAULT_PARTITIONS, DEFAULT_REPLICATION_FACTOR);
    }

    private static long retentionOf(LogicalTopic topic) {
        return topic == LogicalTopic.METRICS ? METRICS_RETENTION_MS : DATA_RETENTION_MS;
    }

    public String prefix() {
        return prefix;
    }

    /** Full name, e.g. {@code alignment.prompts}. */
    public String name(LogicalTopic topic) {
        return spec(topic).name();
    }

    /** Full name of the dead-letter topic, e.g. {@code alignment.prompts.dlq}. */
    public String dlqName(LogicalTopic topic) {
        return dlqSpec(topic).name();
    }

    public TopicSpec spec(LogicalTopic topic) {
        return topics.get(topic);
    }

    public TopicSpec dlqSpec(LogicalTopic topic) {
        return deadLetters.get(topic);
    }

    /** Every topic: the data topics in {@link LogicalTopic} order, then their dead letters. */
    public List<TopicSpec> all() {
        List<TopicSpec> all = new ArrayList<>(topics.values());
        all.addAll(deadLetters.values());
        return List.copyOf(all);
    }

    /**
     * Creates the topics missing on the cluster, leaves existing ones alone.
     *
     * @return the names created by this call
     * @see TopicCreator#ensureTopics(Admin)
     */
    public Set<String> ensureTopics(Admin admin) throws InterruptedException {
        return new TopicCreator(this).ensureTopics(admin);
    }

    /** Every topic as an admin-client creation request. */
    public List<NewTopic> newTopics() {
        return all().stream().map(TopicSpec::toNewTopic).toList();
    }
}
