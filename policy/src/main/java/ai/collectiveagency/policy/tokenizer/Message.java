package ai.collectiveagency.policy.tokenizer;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One turn of a conversation, as a chat template sees it: {@code {"role": ..., "content": ...}}.
 *
 * <p>Roles are free text because templates differ in what they accept ({@code system},
 * {@code user}, {@code assistant}, {@code tool}, ...); a template that rejects a role says so
 * through {@code raise_exception}, which surfaces as a {@link ChatTemplateException}.
 *
 * @param role who speaks, e.g. {@code "user"}
 * @param content what is said
 */
public record Message(String role, String content) {

    /** Rejects missing fields: a template would render them as empty text without complaint. */
    public Message {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
    }

    /** A {@code system} message. */
    public static Message system(String content) {
        return new Message("system", content);
    }

    /** A {@code user} message. */
    public static Message user(String content) {
        return new Message("user", content);
    }

    /** An {@code assistant} message. */
    public static Message assistant(String content) {
        return new Message("assistant", content);
    }

    /** The dictionary a Hugging Face chat template receives for this message. */
    Map<String, Object> asTemplateValue() {
        // Insertion order, so a template's "message | tojson" lists role before content.
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("role", role);
        value.put("content", content);
        return Collections.unmodifiableMap(value);
    }
}
