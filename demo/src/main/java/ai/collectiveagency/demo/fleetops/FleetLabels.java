package ai.collectiveagency.demo.fleetops;

import ai.collectiveagency.schemas.fleet.PolicyAnnotations;

/** The labels and annotations of the manifests in k8s/ that {@code ./pipeline fleet} reads. */
final class FleetLabels {

    /** Every object of the pipeline carries {@code app.kubernetes.io/part-of: collective-agency}. */
    static final String PART_OF = "app.kubernetes.io/part-of";
    static final String PIPELINE = "collective-agency";
    /** The service an object belongs to: {@code rollout-service}, ... */
    static final String NAME = "app.kubernetes.io/name";
    /** The policy version a rollout replica serves, which it writes on its own pod. */
    static final String POLICY_VERSION = PolicyAnnotations.POLICY_VERSION;

    private FleetLabels() {
    }
}
