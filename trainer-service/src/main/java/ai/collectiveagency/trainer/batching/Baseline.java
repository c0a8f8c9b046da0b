package ai.collectiveagency.trainer.batching;

/** What a trajectory's reward is compared with to give its advantage. */
public enum Baseline {
    /** GRPO: the mean (and std) of the rewards in the trajectory's group. */
    GROUP,
    /**
     * A running (exponential moving average) baseline per persona role, as role-conditioned
     * advantage estimation in self-play does: persona A's turns and the resolution are compared
     * with A's baseline, B's turns with B's. Unscaled.
     */
    ROLE
}
