package ai.collectiveagency.schemas.kafka.stage;

import ai.collectiveagency.schemas.kafka.KafkaClientSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A {@link TransactionalStage}'s settings as a service reads them from its configuration, under
 * a prefix ({@code rollout.stage.}, {@code reward.stage.}), each key overridable by environment
 * variable ({@code ROLLOUT_STAGE_REPLICA_ID}). Read through the service's MicroProfile Config
 * ({@code StageSettings.read(config::getOptionalValue, "rollout.stage")}) rather than as a
 * {@code @ConfigMapping} group, because this module is loaded parent-first in the services'
 * tests, where neither a mapping's generated class nor the Config type can cross over.
 *
 * @param inputTopic {@code input-topic}: read in consumer group {@code consumer-group}
 * @param outputTopic {@code output-topic}: where results go
 * @param deadLetterTopic {@code dead-letter-topic}: records that cannot be handled, with why
 * @param consumerGroup {@code consumer-group}: shared by every replica of the service
 * @param replicaId this replica's name in the fleet (the service's {@code replica-id} key, a pod
 *     name; default {@link #defaultReplicaId()}); the transactional id is
 *     {@code <consumer-group>-<replica-id>}. Kafka fences a killed replica's producer by the
 *     consumer group's generation (KIP-447), so the id need not survive a restart; a
 *     transaction a killed replica left open is aborted after {@code transaction-timeout}
 * @param maxAttempts {@code max-attempts} (3): attempts at one failing input before the DLQ
 * @param retryBackoff {@code retry-backoff} (2s): pause before a failed input is tried again,
 *     and after an aborted transaction
 * @param maxBatchDuration {@code max-batch-duration} (30m): the longest one batch may take; a
 *     replica silent for longer loses its partitions (Kafka's max.poll.interval.ms)
 * @param transactionTimeout {@code transaction-timeout} (10s): Kafka's transaction.timeout.ms;
 *     a transaction is open only while a handled batch is written, and one a killed replica
 *     left open holds back read_committed readers for at most this long
 * @param maxMessageBytes {@code max-message-bytes} (16777216): the largest record read or
 *     written, the topics' max.message.bytes in the catalogue
 */
public record StageSettings(String inputTopic, String outputTopic, String deadLetterTopic,
        String consumerGroup, String replicaId, int maxAttempts, Duration retryBackoff,
        Duration maxBatchDuration, Duration transactionTimeout, int maxMessageBytes) {

    /** What a replica id may hold: it becomes part of a Kafka transactional id. */
    private static final Pattern LEGAL_REPLICA_ID = Pattern.compile("[A-Za-z0-9._-]+");

    /**
     * The settings under {@code prefix} (without the trailing dot).
     *
     * @throws IllegalArgumentException listing every bad value, each with its key
     */
    public static StageSettings read(Lookup config, String prefix, String replicaId) {
        List<String> problems = new ArrayList<>();
        Map<String, String> names = new LinkedHashMap<>();
        for (String key : List.of("input-topic", "output-topic", "dead-letter-topic",
                "consumer-group")) {
            String value = config.getOptionalValue(prefix + "." + key, String.class).orElse("");
            if (value.isBlank()) {
                problems.add(prefix + "." + key + " must be set");
            }
            names.put(key, value);
        }
        if (names.get("input-topic").equals(names.get("output-topic"))
                || names.get("input-topic").equals(names.get("dead-letter-topic"))) {
            problems.add(prefix + ".input-topic must differ from the output and dead-letter "
                    + "topics, was " + names.get("input-topic"));
        }
        if (!LEGAL_REPLICA_ID.matcher(replicaId).matches()) {
            problems.add("the replica id may hold letters, digits, '.', '_' and '-' only, was '"
                    + replicaId + "'");
        }
        int maxAttempts = config.getOptionalValue(prefix + ".max-attempts", Integer.class)
                .orElse(3);
        if (maxAttempts < 1) {
            problems.add(prefix + ".max-attempts must be >= 1, was " + maxAttempts);
        }
        Duration backoff = duration(config, prefix + ".retry-backoff", "2s", true, problems);
        Duration batch = duration(config, prefix + ".max-batch-duration", "30m", false,
                problems);
        Duration transaction = duration(config, prefix + ".transaction-timeout", "10s", false,
                problems);
        int maxMessageBytes = config.getOptionalValue(prefix + ".max-message-bytes",
                Integer.class).orElse(16 * 1024 * 1024);
        if (maxMessageBytes < 1024) {
            problems.add(prefix + ".max-message-bytes must be >= 1024, was " + maxMessageBytes);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid configuration:\n  "
                    + String.join("\n  ", problems));
        }
        return new StageSettings(names.get("input-topic"), names.get("output-topic"),
                names.get("dead-letter-topic"), names.get("consumer-group"),
                replicaId, maxAttempts, backoff, batch,
                transaction, maxMessageBytes);
    }

    /** The stage's configuration, batches of up to {@code maxBatch} within {@code maxWait}. */
    public StageConfig stageConfig(int maxBatch, Duration maxWait, KafkaClientSettings kafka) {
        return new StageConfig(inputTopic, consumerGroup, consumerGroup + "-" + replicaId,
                deadLetterTopic, maxBatch, maxWait, maxAttempts, retryBackoff, maxBatchDuration,
                transactionTimeout, maxMessageBytes, kafka);
    }

    /** A duration in the forms the service's configuration converts (Quarkus: 30s, 10m, PT1H). */
    private static Duration duration(Lookup config, String key, String fallback,
            boolean zeroAllowed, List<String> problems) {
        Duration value;
        try {
            value = config.getOptionalValue(key, Duration.class)
                    .orElseGet(() -> Duration.parse("PT" + fallback.toUpperCase()));
        } catch (IllegalArgumentException e) {
            problems.add(key + " must be a duration such as 500ms, 30s, 10m or PT1H: "
                    + e.getMessage());
            return Duration.ZERO;
        }
        if (value.isNegative() || !zeroAllowed && value.isZero()) {
            problems.add(key + " must be " + (zeroAllowed ? ">= 0" : "> 0") + ", was " + value);
        }
        return value;
    }

    /** A configuration's typed lookup: {@code Config::getOptionalValue}. */
    @FunctionalInterface
    public interface Lookup {
        <T> Optional<T> getOptionalValue(String key, Class<T> type);
    }

    /**
     * {@code <host name>-<pid>}: unique among the processes that share a machine, for a replica
     * given no name (a pod is given its own).
     */
    public static String defaultReplicaId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "replica";
        }
        String safe = host.replaceAll("[^A-Za-z0-9._-]", "_").replaceFirst("^[._-]+", "");
        if (safe.isEmpty()) {
            safe = "replica";
        }
        return safe.substring(0, Math.min(safe.length(), 180)) + "-"
                + ProcessHandle.current().pid();
    }
}
