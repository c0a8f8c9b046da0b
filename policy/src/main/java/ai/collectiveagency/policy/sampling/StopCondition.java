package ai.collectiveagency.policy.sampling;

/** Decides after each token whether a sequence is done (e.g. it now ends with a stop string). */
@FunctionalInterface
public interface StopCondition {

    /** Never stops early. */
    StopCondition NONE = generated -> false;

    /** Whether the sequence that has generated {@code generated} so far must stop. */
    boolean shouldStop(int[] generated);
}
