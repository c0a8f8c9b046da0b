package ai.collectiveagency.rollout.api;

/**
 * Receives a live stream from the policy worker: its admission, then each choice's deltas as
 * the tokens are sampled. Called on the worker thread, so implementations hand off at once.
 */
interface StreamListener {

    /** The prompts fit; generation begins. */
    void admitted(Admission admission);

    /** What choice {@code choice} (prompt-major) may show now. */
    void released(int choice, Delta delta);
}
