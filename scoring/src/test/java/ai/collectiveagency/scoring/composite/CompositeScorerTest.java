package ai.collectiveagency.scoring.composite;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.scoring.TestData;
import ai.collectiveagency.scoring.Scorer;
import ai.collectiveagency.scoring.Scores;
import ai.collectiveagency.scoring.ScoringInput;
import ai.collectiveagency.scoring.Verdict;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class CompositeScorerTest {

    /** A scorer that gives each text what {@code rule} says. */
    record RuleScorer(String id, Function<String, Verdict> rule) implements Scorer {
        @Override
        public Scores score(List<ScoringInput> inputs) {
            return new Scores(inputs.stream().map(i -> rule.apply(i.text())).toList(), "v-" + id);
        }
    }

    @Test
    void theRewardIsTheWeightedSumAndTheBreakdownKeepsEveryPart() {
        Scorer judge = new RuleScorer("judge", t -> new Verdict.Scored(4, Map.of("knowledge", 4.0)));
        Scorer onnx = new RuleScorer("onnx", t -> new Verdict.Scored(-1, Map.of("onnx", -1.0)));
        CompositeScorer composite = new CompositeScorer(List.of(
                new CompositeScorer.Part(judge, 0.75), new CompositeScorer.Part(onnx, 0.5)));

        Scores scores = composite.score(List.of(TestData.input("x")));

        Verdict.Scored scored = (Verdict.Scored) scores.verdicts().get(0);
        assertThat(scored.reward()).isEqualTo(2.5);
        assertThat(scored.breakdown()).containsEntry("judge", 4.0)
                .containsEntry("judge.knowledge", 4.0).containsEntry("onnx", -1.0)
                .containsEntry("onnx.onnx", -1.0);
        assertThat(scores.scorerVersion()).isEqualTo("v-judge+v-onnx");
        assertThat(composite.id()).isEqualTo("composite(0.75*judge+0.5*onnx)");
    }

    @Test
    void aTextAnyPartCouldNotScoreIsUnscorableWithThatPartsReason() {
        Scorer judge = new RuleScorer("judge", t -> new Verdict.Unscorable("timeout: judge slow"));
        Scorer onnx = new RuleScorer("onnx", t -> new Verdict.Scored(1, Map.of()));

        Verdict verdict = new CompositeScorer(List.of(new CompositeScorer.Part(judge, 1),
                new CompositeScorer.Part(onnx, 1))).score(List.of(TestData.input("x")))
                .verdicts().get(0);

        assertThat(verdict).isEqualTo(new Verdict.Unscorable("judge: timeout: judge slow"));
    }
}
