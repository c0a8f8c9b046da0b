package ai.collectiveagency.scoring.pairwise;

import ai.collectiveagency.schemas.PromptTask;
import java.util.Objects;

/**
 * Two answers to one task: the candidate's (the policy evaluated) and the baseline's (what it is
 * compared with, e.g. the base model).
 */
public record PairToJudge(PromptTask task, String candidate, String baseline) {

    public PairToJudge {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(candidate, "candidate");
        Objects.requireNonNull(baseline, "baseline");
    }
}
