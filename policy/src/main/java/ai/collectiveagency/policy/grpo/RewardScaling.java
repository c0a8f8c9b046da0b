package ai.collectiveagency.policy.grpo;

/**
 * Whether group-relative advantages are divided by the group's reward spread (TRL's
 * {@code scale_rewards}).
 */
public enum RewardScaling {
    /** {@code (r - mean) / (std + 1e-4)} per group: the original GRPO. */
    GROUP,
    /** {@code r - mean} per group: Dr. GRPO's fix for the difficulty bias of dividing by std. */
    NONE
}
