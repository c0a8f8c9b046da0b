package ai.collectiveagency.reward.scoring;

import ai.collectiveagency.schemas.PromptTask;
import java.util.Objects;

/**
 * What a scorer judges: the text a trajectory ended with (a negotiation's final resolution or a
 * single answer) and the task it answers (scenario and personas), for scorers that need context.
 */
public record ScoringInput(PromptTask task, String text) {

    public ScoringInput {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(text, "text");
    }
}
