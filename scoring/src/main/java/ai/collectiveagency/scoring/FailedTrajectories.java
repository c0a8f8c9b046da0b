package ai.collectiveagency.scoring;

/** What a failed trajectory (no agreement, or generation failed) is worth. */
public enum FailedTrajectories {
    /** Reward 0, as the negotiation research does; breakdown {@code failed -> 1}. */
    ZERO,
    /** Unscorable: it gets advantage 0 and stays out of its group's baseline. */
    UNSCORABLE
}
