package ai.collectiveagency.demo.report;

import ai.collectiveagency.schemas.ComparedPair;

/**
 * One task of a win-rate evaluation, side by side: the evaluated policy's text and its
 * opponent's, and the judge's verdict in each order.
 *
 * @param set the evaluation set
 * @param decoding greedy or sampled
 * @param taskId the evaluation task
 * @param title the task's scenario title
 * @param policyText the evaluated policy's resolution or answer
 * @param againstText the opponent's
 * @param policyFirst the verdict with the policy's text shown first: policy, against or tie
 * @param againstFirst the verdict with the opponent's text shown first
 * @param outcome win, loss or tie, for the policy
 */
public record JudgedPair(String set, String decoding, String taskId, String title,
        String policyText, String againstText, String policyFirst, String againstFirst,
        String outcome) {

    /** {@code pair} of the evaluation of {@code set} in {@code decoding}. */
    static JudgedPair of(String set, String decoding, ComparedPair pair) {
        return new JudgedPair(set, decoding, pair.getTaskId(), pair.getTitle(),
                pair.getPolicyText(), pair.getAgainstText(), pair.getPolicyFirst(),
                pair.getAgainstFirst(), pair.getOutcome());
    }
}
