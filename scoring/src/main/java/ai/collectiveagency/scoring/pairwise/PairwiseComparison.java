package ai.collectiveagency.scoring.pairwise;

import java.util.Objects;

/**
 * One pair judged in both orders.
 *
 * @param candidateFirst the verdict with the candidate's text shown first; null when failed
 * @param baselineFirst the verdict with the baseline's text shown first; null when failed
 * @param failure why no verdict was had (the judge unreachable, an invalid answer); null when
 *     both orders were answered
 */
public record PairwiseComparison(Preferred candidateFirst, Preferred baselineFirst,
        String failure) {

    public PairwiseComparison {
        if (failure == null) {
            Objects.requireNonNull(candidateFirst, "candidateFirst");
            Objects.requireNonNull(baselineFirst, "baselineFirst");
        }
    }

    public static PairwiseComparison of(Preferred candidateFirst, Preferred baselineFirst) {
        return new PairwiseComparison(candidateFirst, baselineFirst, null);
    }

    public static PairwiseComparison failed(String failure) {
        return new PairwiseComparison(null, null, Objects.requireNonNull(failure, "failure"));
    }

    /** Win only when both orders prefer the candidate, loss only when both prefer the baseline. */
    public PairwiseOutcome outcome() {
        if (failure != null) {
            return PairwiseOutcome.FAILED;
        }
        if (candidateFirst == Preferred.CANDIDATE && baselineFirst == Preferred.CANDIDATE) {
            return PairwiseOutcome.WIN;
        }
        if (candidateFirst == Preferred.BASELINE && baselineFirst == Preferred.BASELINE) {
            return PairwiseOutcome.LOSS;
        }
        return PairwiseOutcome.TIE;
    }
}
