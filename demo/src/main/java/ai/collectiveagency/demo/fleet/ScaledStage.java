package ai.collectiveagency.demo.fleet;

import ai.collectiveagency.schemas.topics.PipelineClient;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import ai.collectiveagency.schemas.topics.TopicSpec;
import java.util.Arrays;
import java.util.Optional;

/**
 * The stages that run as several processes in one consumer group, sharing their input topic's
 * partitions: rollout-service and reward-service. Each replica is named
 * {@code <service>-<i>} from 0, given to the service as its replica id (it names the replica's
 * Kafka transactional id and checkpoint lease). The other services run one process each, and
 * {@link #refusal} says why.
 */
public enum ScaledStage {
    /** Serves a policy version: its gauge {@code rollout.policy.version} (RolloutStage). */
    ROLLOUT(PipelineClient.ROLLOUT_SERVICE, "rollout.replica-id",
            "rollout_groups_total", Optional.of("rollout_policy_version")),
    /** Serves no policy: it scores, and exports no version. */
    REWARD(PipelineClient.REWARD_SERVICE, "reward.replica-id",
            "reward_groups_total", Optional.empty());

    private final PipelineClient client;
    private final String replicaIdSetting;
    private final String groupsMetric;
    private final Optional<String> versionMetric;

    ScaledStage(PipelineClient client, String replicaIdSetting, String groupsMetric,
            Optional<String> versionMetric) {
        this.client = client;
        this.replicaIdSetting = replicaIdSetting;
        this.groupsMetric = groupsMetric;
        this.versionMetric = versionMetric;
    }

    /** The Prometheus counter of groups the replica sent (counted once committed). */
    public String groupsMetric() {
        return groupsMetric;
    }

    /** The Prometheus gauge of the policy version the replica serves, where it has one. */
    public Optional<String> versionMetric() {
        return versionMetric;
    }

    /** The service's name, e.g. {@code rollout-service}. */
    public String service() {
        return client.user();
    }

    public PipelineClient client() {
        return client;
    }

    /** The setting that gives a replica its id. */
    public String replicaIdSetting() {
        return replicaIdSetting;
    }

    /** The most replicas that get work: one partition of the input topic each. */
    public int maxReplicas(TopicCatalogue topics) {
        return input(topics).partitions();
    }

    /** The topic it consumes as a transactional stage, as the catalogue says. */
    private TopicSpec input(TopicCatalogue topics) {
        return topics.all().stream().filter(topic -> topic.access().readers().stream()
                .anyMatch(reader -> reader.transactional() && reader.client() == client))
                .findFirst().orElseThrow(() -> new IllegalStateException(
                        "the catalogue has no input topic of " + service()));
    }

    /** The stage of {@code service}, when it is one that scales. */
    public static Optional<ScaledStage> of(String service) {
        return Arrays.stream(values()).filter(s -> s.service().equals(service)).findFirst();
    }

    /**
     * Why {@code count} replicas of {@code service} cannot run, or empty when they can: only
     * the scaled stages, at least one replica, and no more than their input topic's partitions
     * (a replica beyond them would sit idle in its group).
     */
    public static Optional<String> refusal(String service, int count, TopicCatalogue topics) {
        Optional<String> single = SingleReplica.reason(service);
        if (single.isPresent()) {
            return single;
        }
        Optional<ScaledStage> stage = of(service);
        if (stage.isEmpty()) {
            return Optional.of("unknown service '" + service + "'; replicas are for "
                    + ROLLOUT.service() + " and " + REWARD.service());
        }
        int max = stage.get().maxReplicas(topics);
        if (count < 1 || count > max) {
            return Optional.of(service + " takes 1 to " + max + " replicas, not " + count
                    + ": each replica reads at least one of the " + max + " partitions of "
                    + stage.get().input(topics).name() + ", and one more would sit idle");
        }
        return Optional.empty();
    }
}
