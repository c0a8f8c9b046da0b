package ai.collectiveagency.scoring.pairwise;

/** The result of comparing two texts in both orders. */
public enum PairwiseOutcome {
    /** Both orders prefer the first text. */
    FIRST,
    /** Both orders prefer the second text. */
    SECOND,
    /** Both orders call it a tie. */
    TIE,
    /** The orders disagree (position bias): reported, not counted. */
    INCONSISTENT,
    /** At least one order got no valid answer. */
    FAILED
}
