package ai.collectiveagency.scoring.pairwise;

import java.util.EnumMap;
import java.util.Map;

/**
 * Outcomes of many comparisons of a candidate (first) against a baseline (second). The win rate
 * counts only consistent comparisons: wins / (wins + losses + ties); inconsistent and failed
 * ones are reported beside it.
 */
public final class WinRate {

    private final Map<PairwiseOutcome, Integer> counts = new EnumMap<>(PairwiseOutcome.class);

    public void add(PairwiseOutcome outcome) {
        counts.merge(outcome, 1, Integer::sum);
    }

    public int count(PairwiseOutcome outcome) {
        return counts.getOrDefault(outcome, 0);
    }

    /** Wins over consistent comparisons; NaN when there were none. */
    public double rate() {
        int consistent = count(PairwiseOutcome.FIRST) + count(PairwiseOutcome.SECOND)
                + count(PairwiseOutcome.TIE);
        return consistent == 0 ? Double.NaN : count(PairwiseOutcome.FIRST) / (double) consistent;
    }
}
