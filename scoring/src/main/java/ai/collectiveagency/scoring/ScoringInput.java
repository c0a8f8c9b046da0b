package ai.collectiveagency.scoring;

import ai.collectiveagency.schemas.PromptTask;
import java.util.Objects;

/**
 * What a scorer judges: the text a trajectory ended with (a negotiation's final resolution or a
 * single answer) and the task it answers (scenario and personas), for scorers that need context.
 * The task is null when a text is scored on its own ({@code ./pipeline score --text ...}).
 */
public record ScoringInput(PromptTask task, String text) {

    public ScoringInput {
        Objects.requireNonNull(text, "text");
    }

    /** A text without a task. */
    public static ScoringInput text(String text) {
        return new ScoringInput(null, text);
    }
}
