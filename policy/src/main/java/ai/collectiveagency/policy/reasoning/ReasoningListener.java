package ai.collectiveagency.policy.reasoning;

/**
 * Sees an asynchronous-reasoning run as it decodes, on the decoding thread: each token as soon as
 * it is sampled, before the step that computes its keys and values. Keep it short; a listener that
 * cancels ends the run between two steps.
 */
public interface ReasoningListener {

    ReasoningListener NONE = new ReasoningListener() {};

    /** The thinker sampled {@code id}. */
    default void thought(int id, float logprob) {}

    /** The writer sampled {@code id}, a token of the public answer. */
    default void wrote(int id, float logprob) {}

    /** The thinker answered the check: {@code write} lets the writer write. */
    default void checked(boolean write, float yesLogit, float noLogit) {}

    /** Whether the run should stop before its next step. */
    default boolean cancelled() {
        return false;
    }
}
