package ai.collectiveagency.policy.sampling;

/** Why a sequence stopped, named as OpenAI's API names it. */
public enum FinishReason {
    /** An end-of-sequence token or a stop string. */
    STOP,
    /** The token budget ran out. */
    LENGTH
}
