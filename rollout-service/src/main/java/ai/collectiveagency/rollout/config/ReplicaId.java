package ai.collectiveagency.rollout.config;

import ai.collectiveagency.policy.checkpoint.CheckpointLease;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * This replica's id in the fleet ({@code rollout.replica-id}): the configured one (Kubernetes
 * passes the pod's name), else {@code <host name>-<pid>}, which is unique among the processes
 * that share a machine and a store. It names a file, so it is letters, digits, {@code . _ -}.
 */
public final class ReplicaId {

    /** What an id may hold. */
    public static final String PATTERN = CheckpointLease.REPLICA_ID.pattern();

    private ReplicaId() {
    }

    /** The configured id, or the default; a configured one must be {@link #valid}. */
    public static String of(Optional<String> configured) {
        return configured.map(String::strip).filter(id -> !id.isEmpty())
                .orElseGet(ReplicaId::hostAndPid);
    }

    public static boolean valid(String id) {
        return CheckpointLease.REPLICA_ID.matcher(id.strip()).matches();
    }

    private static String hostAndPid() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "rollout";
        }
        String safe = host.replaceAll("[^A-Za-z0-9._-]", "_").replaceFirst("^[._-]+", "");
        if (safe.isEmpty()) {
            safe = "rollout";
        }
        String hostPart = safe.substring(0, Math.min(safe.length(), 180));
        return hostPart + "-" + ProcessHandle.current().pid();
    }
}
