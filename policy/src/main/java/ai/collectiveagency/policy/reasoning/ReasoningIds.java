package ai.collectiveagency.policy.reasoning;

import java.util.Set;

/**
 * The token ids of one asynchronous-reasoning run: its prompts, separators and question, and the
 * ids the schedule and the samplers react to. {@link ReasoningText#ids} makes them from a
 * conversation; a benchmark on a model without a tokenizer builds them directly.
 *
 * @param thinkerPrompt    the thinker's prompt, up to the answer so far
 * @param writerPrompt     the writer's prompt, up to the thoughts
 * @param thinkerSplit     between the answer so far and the thoughts, in the thinker's view
 * @param writerSplit      between the thoughts and the answer, in the writer's view
 * @param question         the check's question, after the thoughts
 * @param yesId            the token read as yes after the question
 * @param noId             the token read as no
 * @param vocabulary       paragraph ends and each stream's end ids
 * @param thinkerForbidden ids the thinker never samples
 * @param writerForbidden  ids the writer never samples
 */
public record ReasoningIds(int[] thinkerPrompt, int[] writerPrompt, int[] thinkerSplit,
        int[] writerSplit, int[] question, int yesId, int noId,
        ReasoningSchedule.Vocabulary vocabulary, Set<Integer> thinkerForbidden,
        Set<Integer> writerForbidden) {

    public ReasoningIds {
        if (thinkerPrompt.length == 0 || writerPrompt.length == 0 || thinkerSplit.length == 0
                || writerSplit.length == 0 || question.length == 0) {
            throw new IllegalArgumentException("the prompts, separators and question of"
                    + " asynchronous reasoning must each have at least one token");
        }
        if (yesId == noId) {
            throw new IllegalArgumentException("yes and no are both token " + yesId);
        }
        thinkerForbidden = Set.copyOf(thinkerForbidden);
        writerForbidden = Set.copyOf(writerForbidden);
    }

    /** Positions the run needs at most, before any heard text. */
    public long positionsNeeded(int thinkerBudget, int writerBudget) {
        return (long) Math.max(thinkerPrompt.length, writerPrompt.length) + thinkerSplit.length
                + writerSplit.length + question.length + thinkerBudget + writerBudget;
    }
}
