package ai.collectiveagency.demo.dashboard;

import java.util.Objects;

/**
 * One win-rate evaluation of a checkpoint, as the evaluation-service reports it: the policy
 * version's pairwise win rate against an opponent on one evaluation set in one decoding, judged
 * in both orders, with its 95% interval and the counts behind it.
 *
 * @param policyVersion the evaluated checkpoint's version
 * @param set the evaluation set, e.g. {@code negotiation-v1}
 * @param decoding {@code greedy} or {@code sampled}
 * @param against {@value #BASE} (version 0) or {@code <run>/v<M>}
 * @param winRate {@code (wins + ties / 2) / n} (NaN: unknown)
 * @param ciLow the 95% interval's lower end (NaN: unknown)
 * @param ciHigh its upper end (NaN: unknown)
 * @param n comparisons
 * @param wins tasks where both orders preferred the policy
 * @param ties tasks where the orders disagreed or called a tie
 * @param losses tasks where both orders preferred the opponent
 */
public record WinRatePoint(long policyVersion, String set, String decoding, String against,
        double winRate, double ciLow, double ciHigh, long n, long wins, long ties,
        long losses) {

    /** The opponent named {@code against} when the policy was compared with the base model. */
    public static final String BASE = "base";

    public WinRatePoint {
        Objects.requireNonNull(set, "set");
        Objects.requireNonNull(decoding, "decoding");
        Objects.requireNonNull(against, "against");
    }

    /** The chart's series this point belongs to: its set and decoding. */
    public String series() {
        return set + " " + decoding;
    }

    public boolean againstBase() {
        return BASE.equals(against);
    }
}
