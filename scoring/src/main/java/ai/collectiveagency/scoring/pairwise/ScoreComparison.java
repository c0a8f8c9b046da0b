package ai.collectiveagency.scoring.pairwise;

import ai.collectiveagency.scoring.Scorer;
import ai.collectiveagency.scoring.Scores;
import ai.collectiveagency.scoring.ScoringInput;
import ai.collectiveagency.scoring.Verdict;
import java.util.ArrayList;
import java.util.List;

/**
 * The offline pairwise judge: a pointwise {@link Scorer} (the embedded default) scores both texts
 * of every pair in one batch, and the higher score is preferred; scores within {@code tieMargin}
 * of each other are a tie. A score does not depend on where a text is shown, so both orders give
 * the same verdict: order disagreement (position bias) cannot happen here, only with an LLM.
 */
public final class ScoreComparison implements PairJudge {

    private final Scorer scorer;
    private final double tieMargin;

    /**
     * @param tieMargin scores closer than this are a tie (the scorer's noise floor, not zero:
     *     identical texts must tie)
     */
    public ScoreComparison(Scorer scorer, double tieMargin) {
        if (!(tieMargin >= 0)) {
            throw new IllegalArgumentException("tie margin must be >= 0, was " + tieMargin);
        }
        this.scorer = scorer;
        this.tieMargin = tieMargin;
    }

    @Override
    public String id() {
        return "scores:" + scorer.id();
    }

    @Override
    public List<PairwiseComparison> compare(List<PairToJudge> pairs) {
        List<ScoringInput> inputs = new ArrayList<>(2 * pairs.size());
        for (PairToJudge pair : pairs) {
            inputs.add(new ScoringInput(pair.task(), pair.candidate()));
            inputs.add(new ScoringInput(pair.task(), pair.baseline()));
        }
        Scores scores = scorer.score(inputs);
        List<PairwiseComparison> comparisons = new ArrayList<>(pairs.size());
        for (int i = 0; i < pairs.size(); i++) {
            Verdict candidate = scores.verdicts().get(2 * i);
            Verdict baseline = scores.verdicts().get(2 * i + 1);
            if (candidate instanceof Verdict.Scored c && baseline instanceof Verdict.Scored b) {
                Preferred preferred = Math.abs(c.reward() - b.reward()) <= tieMargin
                        ? Preferred.TIE
                        : c.reward() > b.reward() ? Preferred.CANDIDATE : Preferred.BASELINE;
                comparisons.add(PairwiseComparison.of(preferred, preferred));
            } else {
                comparisons.add(PairwiseComparison.failed("unscorable: "
                        + (candidate instanceof Verdict.Unscorable u ? u.reason()
                        : ((Verdict.Unscorable) baseline).reason())));
            }
        }
        return comparisons;
    }
}
