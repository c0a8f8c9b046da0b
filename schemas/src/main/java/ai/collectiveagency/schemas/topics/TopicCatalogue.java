package ai.collectiveagency.schemas.topics;

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
 * cleanup policy, retention and largest record ({@code max.message.bytes}: 16 MiB for rollouts,
 * scored and their DLQs, 1 MiB for prompts and metrics, 256 KiB for checkpoints, 64 KiB for
 * fleet-control; the broker's
 * limit and the clients' request and fetch sizes follow from it), the dead-letter topic of
 * each, and who writes and reads each
 * ({@link TopicAccess}; the ACLs of a secured cluster derive from it, {@link ClientPermissions}):
 *
 * <table>
 *   <caption>Writers and readers</caption>
 *   <tr><th>topic</th><th>written by</th><th>read by</th></tr>
 *   <tr><td>prompts</td><td>prompt-generator</td><td>rollout-service (group rollout-service);
 *       prompt-generator (assigned: where a run resumes; group prompts-audit: the audit);
 *       its lag: prompt-generator (pacing), observer</td></tr>
 *   <tr><td>rollouts</td><td>rollout-service</td><td>reward-service (group reward-service);
 *       its lag: observer</td></tr>
 *   <tr><td>scored</td><td>reward-service</td><td>trainer-service (assigned; it commits how far
 *       it has taken up the groups to group trainer-service), observer (assigned); its lag:
 *       prompt-generator (pacing), observer</td></tr>
 *   <tr><td>checkpoints</td><td>trainer-service</td><td>rollout-service (every replica),
 *       evaluation-service (group evaluation-service), observer (assigned)</td></tr>
 *   <tr><td>fleet-control</td><td>operator</td><td>rollout-service (every replica),
 *       observer (assigned)</td></tr>
 *   <tr><td>metrics</td><td>trainer-service, evaluation-service</td><td>observer
 *       (assigned)</td></tr>
 *   <tr><td>{@code <topic>.dlq}</td><td>the topic's consumers that dead-letter: prompts.dlq
 *       rollout-service and prompt-generator (audit), rollouts.dlq reward-service, scored.dlq
 *       trainer-service; checkpoints.dlq, metrics.dlq and fleet-control.dlq nobody</td><td>operator (assigned;
 *       it also writes prompts, rollouts and scored, to replay)</td></tr>
 * </table>
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
    /** The rollout fleet's consumer group on prompts; the prompt-generator paces by its lag. */
    public static final String ROLLOUT_GROUP = "rollout-service";
    /** The reward-service's consumer group on rollouts. */
    public static final String REWARD_GROUP = "reward-service";
    /** The prompt-generator's audit consumer's group on prompts. */
    public static final String AUDIT_GROUP = "prompts-audit";
    /**
     * The evaluation-service's consumer group on checkpoints: it commits how far it has
     * evaluated, so that a restart goes on from there.
     */
    public static final String EVALUATION_GROUP = "evaluation-service";
    /**
     * The trainer's consumer group on scored. The trainer joins no group (it is assigned every
     * partition and resumes from its checkpoint's offsets); it commits how far it has taken up
     * the scored groups to this group only so that its lag can be read like any stage's: by the
     * prompt-generator's pacing, dashboards and alerts.
     */
    public static final String TRAINER_GROUP = "trainer-service";
    /**
     * {@code max.message.bytes} of rollouts and scored: a group is G trajectories of a whole
     * negotiation, each with its token ids, log-probs and text, so a large group of long
     * negotiations reaches several MiB; 16 MiB leaves room for 4 MiB groups several times over.
     */
    public static final int GROUP_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
    /**
     * {@code max.message.bytes} of prompts and metrics: a task (scenario and two personas) or a
     * step's metrics is a few KiB. Kafka's own 1 MiB, which is also a producer's default
     * {@code max.request.size}: a client that sets nothing fits, and a runaway record is refused
     * rather than stored.
     */
    public static final int SMALL_MAX_MESSAGE_BYTES = 1024 * 1024;
    /**
     * {@code max.message.bytes} of checkpoints: a manifest (a URI, hashes, a signature, a few
     * metrics and one offset per scored partition) is well under 4 KiB; the files themselves are
     * in the checkpoint store, never on Kafka.
     */
    public static final int CHECKPOINT_MAX_MESSAGE_BYTES = 256 * 1024;
    /**
     * {@code max.message.bytes} of fleet-control: a pin (a version, an instant, an issuer, a
     * reason and a signature) is a few hundred bytes; 64 KiB refuses anything else.
     */
    public static final int CONTROL_MAX_MESSAGE_BYTES = 64 * 1024;

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
            topics.put(topic, compacted(topic)
                    // One partition keeps records in order; compaction keeps the latest per key.
                    ? new TopicSpec(name, 1, replicationFactor,
                            TopicConfig.CLEANUP_POLICY_COMPACT, FOREVER,
                            maxMessageBytesOf(topic), accessOf(topic))
                    : new TopicSpec(name, partitions, replicationFactor,
                            TopicConfig.CLEANUP_POLICY_DELETE, retentionOf(topic),
                            maxMessageBytesOf(topic), accessOf(topic)));
            // A dead letter is the original record's key and bytes plus a few headers: its
            // topic takes what the data topic takes.
            deadLetters.put(topic, new TopicSpec(name + LogicalTopic.DLQ_SUFFIX, 1,
                    replicationFactor, TopicConfig.CLEANUP_POLICY_DELETE, DLQ_RETENTION_MS,
                    maxMessageBytesOf(topic), deadLetterAccessOf(topic)));
        }
    }

    /** Checkpoints and fleet-control: state, the latest record per key, not a stream. */
    private static boolean compacted(LogicalTopic topic) {
        return topic == LogicalTopic.CHECKPOINTS || topic == LogicalTopic.CONTROL;
    }

    /** The catalogue of DESIGN.md: prefix {@code alignment.}, local sizes. */
    public static TopicCatalogue defaults() {
        return withPrefix(DEFAULT_PREFIX);
    }

    /** Default sizes under another prefix. */
    public static TopicCatalogue withPrefix(String prefix) {
        return new TopicCatalogue(prefix, DEFAULT_PARTITIONS, DEFAULT_REPLICATION_FACTOR);
    }

    /** Who writes and reads {@code topic}: what the services' code and configuration do. */
    private static TopicAccess accessOf(LogicalTopic topic) {
        return switch (topic) {
            // The operator writes the consumed topics to replay their dead letters.
            case PROMPTS -> new TopicAccess(Set.of(PipelineClient.PROMPT_GENERATOR,
                    PipelineClient.OPERATOR), List.of(
                    TopicReader.transactionalStage(PipelineClient.ROLLOUT_SERVICE,
                            ROLLOUT_GROUP),
                    // Reads the topic's tail to resume a run where it stopped.
                    TopicReader.assigned(PipelineClient.PROMPT_GENERATOR),
                    TopicReader.inGroup(PipelineClient.PROMPT_GENERATOR, AUDIT_GROUP)),
                    Set.of(PipelineClient.PROMPT_GENERATOR, PipelineClient.OBSERVER));
            case ROLLOUTS -> new TopicAccess(Set.of(PipelineClient.ROLLOUT_SERVICE,
                    PipelineClient.OPERATOR),
                    List.of(TopicReader.transactionalStage(PipelineClient.REWARD_SERVICE,
                            REWARD_GROUP)),
                    Set.of(PipelineClient.OBSERVER));
            case SCORED -> new TopicAccess(Set.of(PipelineClient.REWARD_SERVICE,
                    PipelineClient.OPERATOR), List.of(
                    TopicReader.assignedReportingTo(PipelineClient.TRAINER_SERVICE,
                            TRAINER_GROUP),
                    TopicReader.assigned(PipelineClient.OBSERVER)),
                    Set.of(PipelineClient.PROMPT_GENERATOR, PipelineClient.OBSERVER));
            case CHECKPOINTS -> new TopicAccess(Set.of(PipelineClient.TRAINER_SERVICE), List.of(
                    TopicReader.assigned(PipelineClient.ROLLOUT_SERVICE),
                    TopicReader.inGroup(PipelineClient.EVALUATION_SERVICE, EVALUATION_GROUP),
                    TopicReader.assigned(PipelineClient.OBSERVER)), Set.of());
            // The trainer's step and held-out records, the evaluation-service's win rates.
            case METRICS -> new TopicAccess(Set.of(PipelineClient.TRAINER_SERVICE,
                    PipelineClient.EVALUATION_SERVICE),
                    List.of(TopicReader.assigned(PipelineClient.OBSERVER)), Set.of());
            // A pin is an operator's act; every rollout replica follows it like checkpoints.
            case CONTROL -> new TopicAccess(Set.of(PipelineClient.OPERATOR), List.of(
                    TopicReader.assigned(PipelineClient.ROLLOUT_SERVICE),
                    TopicReader.assigned(PipelineClient.OBSERVER)), Set.of());
        };
    }

    /**
     * Each consumer that dead-letters what it cannot handle writes the topic's DLQ; the
     * operator reads every DLQ ({@code ./pipeline dlq}).
     */
    private static TopicAccess deadLetterAccessOf(LogicalTopic topic) {
        Set<PipelineClient> writers = switch (topic) {
            case PROMPTS -> Set.of(PipelineClient.ROLLOUT_SERVICE,
                    PipelineClient.PROMPT_GENERATOR);
            case ROLLOUTS -> Set.of(PipelineClient.REWARD_SERVICE);
            case SCORED -> Set.of(PipelineClient.TRAINER_SERVICE);
            // The checkpoint and pin readers count and log a bad record; nothing consumes
            // metrics. Their DLQs stay, empty, so that every topic has one and the operator's
            // tools and the generated ACLs treat every topic alike.
            case CHECKPOINTS, METRICS, CONTROL -> Set.of();
        };
        return new TopicAccess(writers, List.of(TopicReader.assigned(PipelineClient.OPERATOR)),
                Set.of());
    }

    private static int maxMessageBytesOf(LogicalTopic topic) {
        return switch (topic) {
            case ROLLOUTS, SCORED -> GROUP_MAX_MESSAGE_BYTES;
            case PROMPTS, METRICS -> SMALL_MAX_MESSAGE_BYTES;
            case CHECKPOINTS -> CHECKPOINT_MAX_MESSAGE_BYTES;
            case CONTROL -> CONTROL_MAX_MESSAGE_BYTES;
        };
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

    /**
     * The largest {@code max.message.bytes} of any topic: the broker's {@code message.max.bytes}
     * and {@code replica.fetch.max.bytes}, and what a client that writes or reads several topics
     * sizes for.
     */
    public int largestMessageBytes() {
        return all().stream().mapToInt(TopicSpec::maxMessageBytes).max().orElseThrow();
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
