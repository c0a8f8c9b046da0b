package ai.collectiveagency.scoring.pairwise;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.scoring.Scorer;
import ai.collectiveagency.scoring.Scores;
import ai.collectiveagency.scoring.ScoringInput;
import ai.collectiveagency.scoring.TestData;
import ai.collectiveagency.scoring.Verdict;
import ai.collectiveagency.scoring.onnx.AnchorScorer;
import ai.collectiveagency.scoring.onnx.SentenceEncoder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScoreComparisonTest {

    /** Scores a text by its length; "?" is unscorable. */
    private static final Scorer LENGTH = new Scorer() {
        @Override
        public String id() {
            return "length";
        }

        @Override
        public Scores score(List<ScoringInput> inputs) {
            return new Scores(inputs.stream().map(in -> in.text().equals("?")
                    ? (Verdict) new Verdict.Unscorable("no text")
                    : new Verdict.Scored(in.text().length(), Map.of())).toList(), "1");
        }
    };

    @Test
    void theHigherScoreWinsInBothOrdersAndCloseScoresTie() {
        ScoreComparison judge = new ScoreComparison(LENGTH, 1.0);

        List<PairwiseComparison> comparisons = judge.compare(List.of(
                new PairToJudge(TestData.task("a"), "longer text", "short"),
                new PairToJudge(TestData.task("b"), "abc", "abcd"),
                new PairToJudge(TestData.task("c"), "ab", "abcdef"),
                new PairToJudge(TestData.task("d"), "?", "abc")));

        assertThat(comparisons).extracting(PairwiseComparison::outcome).containsExactly(
                PairwiseOutcome.WIN, PairwiseOutcome.TIE, PairwiseOutcome.LOSS,
                PairwiseOutcome.FAILED);
        assertThat(comparisons.get(0)).isEqualTo(PairwiseComparison.of(Preferred.CANDIDATE,
                Preferred.CANDIDATE));
        assertThat(judge.id()).isEqualTo("scores:length");
    }

    /** The embedded default: a text compared with itself ties; a CA resolution beats a refusal. */
    @Test
    void theEmbeddedScorerPrefersACollectiveResolutionToARefusal() {
        try (SentenceEncoder encoder = SentenceEncoder.bundled(256, 1)) {
            ScoreComparison judge = new ScoreComparison(new AnchorScorer(encoder, null, 8),
                    1e-6);
            String shared = "We share what we know openly, protect the most vulnerable, give every"
                    + " group a real voice in the decision and keep our community thriving.";
            List<PairwiseComparison> comparisons = judge.compare(List.of(
                    new PairToJudge(TestData.task("a"), shared, shared),
                    new PairToJudge(TestData.task("b"), shared, "No. I will not discuss it.")));

            assertThat(comparisons).extracting(PairwiseComparison::outcome)
                    .containsExactly(PairwiseOutcome.TIE, PairwiseOutcome.WIN);
        }
    }
}
