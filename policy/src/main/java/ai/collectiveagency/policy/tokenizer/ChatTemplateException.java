package ai.collectiveagency.policy.tokenizer;

/**
 * A chat template could not be rendered: the folder has none, the template is malformed, or the
 * template refused the conversation through {@code raise_exception} (the message then carries the
 * template's own text, e.g. "Conversation roles must alternate user/assistant/...").
 */
public class ChatTemplateException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A failure described by {@code message}. */
    public ChatTemplateException(String message) {
        super(message);
    }

    /** A failure described by {@code message}, caused by {@code cause}. */
    public ChatTemplateException(String message, Throwable cause) {
        super(message, cause);
    }
}
