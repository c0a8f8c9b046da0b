package ai.collectiveagency.evaluation.protocol;

import ai.collectiveagency.schemas.PromptTask;
import ai.collectiveagency.schemas.Trajectory;
import java.util.Objects;

/**
 * What one policy made of one evaluation task.
 *
 * @param text the resolution (negotiation) or answer (single); empty when the dialogue outgrew
 *     the model's context before a resolution could be written
 * @param agreed whether the personas agreed (always false for single tasks)
 * @param rounds persona turns played (0 for single tasks)
 */
public record PlayedTask(PromptTask task, String text, boolean agreed, int rounds) {

    public PlayedTask {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(text, "text");
    }

    static PlayedTask of(PromptTask task, Trajectory trajectory) {
        String resolution = trajectory.getResolution();
        return new PlayedTask(task, resolution == null ? "" : resolution,
                trajectory.getAgreementReached(), trajectory.getRounds());
    }
}
