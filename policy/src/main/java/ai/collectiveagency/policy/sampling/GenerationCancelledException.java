package ai.collectiveagency.policy.sampling;

/**
 * A generation stopped because its {@link GenerationObserver} asked to; the tokens sampled so
 * far were passed to the observer, and nothing is returned.
 */
public final class GenerationCancelledException extends RuntimeException {

    /** @param tokens how many tokens the batch had sampled, all sequences together */
    public GenerationCancelledException(long tokens) {
        super("generation cancelled after " + tokens + " tokens");
    }
}
