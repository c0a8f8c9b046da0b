package ai.collectiveagency.selfplay;

import java.util.Objects;

/**
 * What one side said, as text: the context the other side and the judge see. The tokens the
 * policy generated for it are kept apart, in the trajectory's {@code Turn}.
 */
public record DialogueTurn(Speaker speaker, String text) {

    public DialogueTurn {
        Objects.requireNonNull(speaker, "speaker");
        Objects.requireNonNull(text, "text");
    }
}
