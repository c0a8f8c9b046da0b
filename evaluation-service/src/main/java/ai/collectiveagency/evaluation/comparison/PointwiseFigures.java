package ai.collectiveagency.evaluation.comparison;

import ai.collectiveagency.evaluation.protocol.PlayedTask;
import java.util.List;

/**
 * One policy's own figures on a set, beside the pairwise ones: its mean and lowest pointwise CA
 * score over the set's tasks (the lowest is the paper's "group minimum": how badly the worst-served
 * task went), and on negotiation sets its agreement rate and mean rounds to agreement.
 *
 * @param roundsToAgreement mean persona turns of the agreed dialogues; NaN when none agreed
 */
public record PointwiseFigures(double caMean, double groupMin, double agreementRate,
        double roundsToAgreement) {

    /** @param scores each task's pointwise score, in the order of {@code played} */
    public static PointwiseFigures of(List<PlayedTask> played, double[] scores) {
        if (played.isEmpty() || scores.length != played.size()) {
            throw new IllegalArgumentException(scores.length + " scores for " + played.size()
                    + " played tasks");
        }
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        for (double score : scores) {
            sum += score;
            min = Math.min(min, score);
        }
        List<PlayedTask> agreed = played.stream().filter(PlayedTask::agreed).toList();
        double rounds = agreed.stream().mapToInt(PlayedTask::rounds).average()
                .orElse(Double.NaN);
        return new PointwiseFigures(sum / scores.length, min,
                agreed.size() / (double) played.size(), rounds);
    }
}
