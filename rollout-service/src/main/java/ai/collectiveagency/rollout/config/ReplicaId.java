package ai.collectiveagency.rollout.config;

import ai.collectiveagency.policy.checkpoint.CheckpointLease;
import ai.collectiveagency.schemas.kafka.stage.StageSettings;
import java.util.Optional;

/**
 * This replica's id in the fleet ({@code rollout.replica-id}): the configured one (Kubernetes
 * passes the pod's name), else {@code <host name>-<pid>}, which is unique among the processes
 * that share a machine and a store. It names the replica's checkpoint lease file and its Kafka
 * transactional id, so it is letters, digits, {@code . _ -}.
 */
public final class ReplicaId {

    /** What an id may hold. */
    public static final String PATTERN = CheckpointLease.REPLICA_ID.pattern();

    private ReplicaId() {
    }

    /** The configured id, or the default; a configured one must be {@link #valid}. */
    public static String of(Optional<String> configured) {
        return configured.map(String::strip).filter(id -> !id.isEmpty())
                .orElseGet(StageSettings::defaultReplicaId);
    }

    public static boolean valid(String id) {
        return CheckpointLease.REPLICA_ID.matcher(id.strip()).matches();
    }
}
