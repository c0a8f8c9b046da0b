package ai.collectiveagency.prompts.pacing;

/** Measures the current lag of the paced consumer group, in records. */
@FunctionalInterface
public interface LagSource {

    /** @throws LagUnavailableException when the lag cannot be read now (broker gone, timeout) */
    long lag() throws LagUnavailableException;
}
