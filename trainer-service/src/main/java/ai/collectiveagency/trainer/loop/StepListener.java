package ai.collectiveagency.trainer.loop;

import java.util.Map;

/** Told about what the loop does, for metrics; the service binds it to Micrometer. */
public interface StepListener {

    /** A step was taken; {@code metrics} as sent to the metrics topic. */
    void stepped(long step, long version, Map<String, Double> metrics);

    /**
     * A scored record was dropped: {@code stale}, {@code undecodable}, {@code unfit} (tokens this
     * model cannot take), {@code no_tokens}.
     */
    void dropped(String reason, long staleness);

    /** A group was used at this staleness (versions behind). */
    void used(long staleness);

    /** A group whose rewards are all equal was settled without training (dynamic sampling). */
    void withoutSignal();

    /**
     * A held-out group was evaluated (not trained on); {@code metrics} as in its
     * {@code EvalResult}, {@code reward_mean} absent when no trajectory has a reward.
     */
    void heldOut(long policyVersion, Map<String, Double> metrics);

    /** A checkpoint was written and announced. */
    void checkpointed(long version, double seconds);

    StepListener NONE = new StepListener() {
        public void stepped(long step, long version, Map<String, Double> metrics) {
        }

        public void dropped(String reason, long staleness) {
        }

        public void used(long staleness) {
        }

        public void withoutSignal() {
        }

        public void heldOut(long policyVersion, Map<String, Double> metrics) {
        }

        public void checkpointed(long version, double seconds) {
        }
    };
}
