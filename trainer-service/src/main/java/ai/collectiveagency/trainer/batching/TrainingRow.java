package ai.collectiveagency.trainer.batching;

import ai.collectiveagency.schemas.Segment;

/**
 * One generated turn to learn from: the exact context the policy saw, the tokens it generated
 * with their sampling log-probs (the behaviour policy's), and the advantage of its trajectory.
 * Invariant: {@code completion} and {@code behaviourLogprobs} have the same length.
 */
public record TrainingRow(String taskId, Segment segment, int[] prompt, int[] completion,
        float[] behaviourLogprobs, double advantage) {

    public TrainingRow {
        if (prompt.length == 0 || completion.length == 0) {
            throw new IllegalArgumentException("a training row needs a prompt and a completion");
        }
        if (behaviourLogprobs.length != completion.length) {
            throw new IllegalArgumentException(completion.length + " completion tokens but "
                    + behaviourLogprobs.length + " log-probs");
        }
    }

    /** Prompt and completion, one sequence. */
    public int length() {
        return prompt.length + completion.length;
    }
}
