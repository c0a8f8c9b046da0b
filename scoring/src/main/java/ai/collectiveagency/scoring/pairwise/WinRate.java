package ai.collectiveagency.scoring.pairwise;

import java.util.EnumMap;
import java.util.Map;

/**
 * The win rate of a candidate over a baseline from many comparisons, as the negotiation paper
 * reports it: {@code (wins + ties / 2) / n}, where n counts every judged comparison (wins, ties
 * and losses; order disagreements are ties, so they pull the rate towards 0.5 rather than leave
 * the denominator). Failed comparisons are not judgements: they are left out of n and reported.
 * The 95% interval is Wilson's score interval at that rate and n.
 */
public final class WinRate {

    /** The standard normal quantile of a two-sided 95% interval. */
    private static final double Z95 = 1.959963984540054;

    private final Map<PairwiseOutcome, Integer> counts = new EnumMap<>(PairwiseOutcome.class);

    public void add(PairwiseOutcome outcome) {
        counts.merge(outcome, 1, Integer::sum);
    }

    public int count(PairwiseOutcome outcome) {
        return counts.getOrDefault(outcome, 0);
    }

    public int wins() {
        return count(PairwiseOutcome.WIN);
    }

    public int ties() {
        return count(PairwiseOutcome.TIE);
    }

    public int losses() {
        return count(PairwiseOutcome.LOSS);
    }

    public int failed() {
        return count(PairwiseOutcome.FAILED);
    }

    /** Judged comparisons: wins, ties and losses. */
    public int n() {
        return wins() + ties() + losses();
    }

    /** {@code (wins + ties / 2) / n}; NaN when nothing was judged. */
    public double rate() {
        int n = n();
        return n == 0 ? Double.NaN : (wins() + ties() / 2.0) / n;
    }

    /** Wilson's 95% score interval around {@link #rate()}; NaN bounds when nothing was judged. */
    public Interval interval() {
        int n = n();
        if (n == 0) {
            return new Interval(Double.NaN, Double.NaN);
        }
        double p = rate();
        double z2 = Z95 * Z95;
        double centre = (p + z2 / (2.0 * n)) / (1 + z2 / n);
        double half = Z95 / (1 + z2 / n) * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return new Interval(Math.max(0, centre - half), Math.min(1, centre + half));
    }

    /** A confidence interval, {@code 0 <= low <= high <= 1}. */
    public record Interval(double low, double high) {
    }
}
