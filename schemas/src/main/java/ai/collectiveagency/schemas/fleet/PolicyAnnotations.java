package ai.collectiveagency.schemas.fleet;

/**
 * The annotations a rollout replica writes on its own pod when it adopts a checkpoint, and that
 * {@code ./pipeline fleet status} reads: what each pod of the fleet serves.
 */
public final class PolicyAnnotations {

    /** The policy version the pod serves, in decimal. */
    public static final String POLICY_VERSION = "collectiveagency.ai/policy-version";
    /** The sha256 of the base model's weights manifest the served version was trained from. */
    public static final String POLICY_BASE_SHA256 = "collectiveagency.ai/policy-base-sha256";

    private PolicyAnnotations() {
    }
}
