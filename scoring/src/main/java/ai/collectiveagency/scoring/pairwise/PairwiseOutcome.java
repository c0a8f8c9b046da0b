package ai.collectiveagency.scoring.pairwise;

/**
 * What one comparison of a candidate with a baseline counts as, judged in both orders: a win
 * only when both orders prefer the candidate, a loss only when both prefer the baseline, and
 * anything else (a tie in either order, or orders that disagree: position bias) a tie.
 */
public enum PairwiseOutcome {
    WIN,
    LOSS,
    TIE,
    /** At least one order got no valid answer: left out of the win rate, reported beside it. */
    FAILED
}
