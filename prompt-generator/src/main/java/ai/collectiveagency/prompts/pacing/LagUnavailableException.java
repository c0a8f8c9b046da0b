package ai.collectiveagency.prompts.pacing;

/** The lag could not be measured now; retried at the next check, meanwhile the gate holds back. */
public class LagUnavailableException extends Exception {

    public LagUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
