package ai.collectiveagency.rollout.serving;

import ai.collectiveagency.policy.Policy;
import java.util.Objects;

/**
 * The policy the service samples from now: the model (with its adapter, if any), its version
 * (0 is the base model; checkpoint {@code n} is version {@code n}) and the name groups and the
 * API report. Only the {@link PolicyRunner}'s worker thread may use {@link #policy()}.
 */
public record ServedPolicy(Policy policy, long version, String modelName) {

    public ServedPolicy {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(modelName, "modelName");
        if (version < 0) {
            throw new IllegalArgumentException("version must be >= 0, was " + version);
        }
    }
}
