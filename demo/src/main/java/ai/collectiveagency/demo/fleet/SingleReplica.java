package ai.collectiveagency.demo.fleet;

import ai.collectiveagency.schemas.topics.PipelineClient;
import java.util.Map;
import java.util.Optional;

/**
 * The services that must run as one replica, and why: what {@code ./pipeline demo --replicas},
 * its stdin control and {@code ./pipeline fleet scale} refuse.
 */
public final class SingleReplica {

    private static final Map<String, String> REASONS = Map.of(
            PipelineClient.TRAINER_SERVICE.user(), PipelineClient.TRAINER_SERVICE.user()
                    + " runs as exactly one replica: it is the only writer of checkpoints, "
                    + "and two would both write the checkpoint store and announce versions",
            PipelineClient.PROMPT_GENERATOR.user(), PipelineClient.PROMPT_GENERATOR.user()
                    + " runs as one replica: it paces itself on the rollout fleet's lag, and a "
                    + "second with the same seed would repeat its task ids",
            PipelineClient.EVALUATION_SERVICE.user(), PipelineClient.EVALUATION_SERVICE.user()
                    + " runs as one replica: it reads the checkpoints topic, which has one "
                    + "partition, in its consumer group, so a second would stand idle");

    private SingleReplica() {
    }

    /** Why {@code service} may not have more than one replica; empty when it may. */
    public static Optional<String> reason(String service) {
        return Optional.ofNullable(REASONS.get(service));
    }
}
