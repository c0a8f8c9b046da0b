package ai.collectiveagency.policy.reasoning;

/**
 * What one asynchronous-reasoning run produced.
 *
 * @param thoughtIds       the thinker's tokens in order (end-of-thoughts token excluded)
 * @param thoughtLogprobs  each one's log-prob under the thinker's sampling
 * @param answerIds        the writer's tokens in order (its end of sequence included)
 * @param answerLogprobs   each one's log-prob
 * @param thoughtsClosed   whether the thinker closed its thoughts itself, not by its budget
 * @param answerStopped    whether the writer ended the answer itself, not by its budget
 * @param checks           yes/no questions computed
 * @param writeAnswers     of them, the ones answered with "write"
 * @param steps            batched decode steps (one per token of the busier stream)
 * @param jointSteps       steps in which both streams decoded together
 */
public record ReasoningResult(int[] thoughtIds, float[] thoughtLogprobs, int[] answerIds,
        float[] answerLogprobs, boolean thoughtsClosed, boolean answerStopped, int checks,
        int writeAnswers, int steps, int jointSteps) {}
