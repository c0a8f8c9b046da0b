package ai.collectiveagency.llm;

import java.util.Objects;

/** A request for a JSON answer that failed, with the {@link ChatFailure} that says why. */
public class ChatException extends RuntimeException {

    private final ChatFailure failure;

    public ChatException(ChatFailure failure, String message) {
        this(failure, message, null);
    }

    public ChatException(ChatFailure failure, String message, Throwable cause) {
        super(failure.label() + ": " + message, cause);
        this.failure = Objects.requireNonNull(failure, "failure");
    }

    public ChatFailure failure() {
        return failure;
    }
}
