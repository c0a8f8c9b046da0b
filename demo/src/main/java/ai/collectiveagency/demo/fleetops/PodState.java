package ai.collectiveagency.demo.fleetops;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * One pod of a service.
 *
 * @param name the pod's name
 * @param phase {@code Running}, {@code Pending}, ...
 * @param ready whether its {@code Ready} condition is true
 * @param restarts its containers' restarts, added up
 * @param policyVersion the policy version it says it serves (its
 *     {@code collectiveagency.ai/policy-version} annotation); empty when it says none
 */
record PodState(String name, String phase, boolean ready, int restarts,
        OptionalLong policyVersion) {

    PodState {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(policyVersion, "policyVersion");
    }
}
