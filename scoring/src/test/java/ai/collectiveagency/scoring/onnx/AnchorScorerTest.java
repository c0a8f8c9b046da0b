package ai.collectiveagency.scoring.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.scoring.ScoringInput;
import ai.collectiveagency.scoring.Verdict;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The offline CA reward on the real all-MiniLM-L6-v2 shipped in its Maven artifact. */
class AnchorScorerTest {

    static SentenceEncoder encoder;

    @BeforeAll
    static void load() {
        encoder = SentenceEncoder.bundled(256, 1);
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    @Test
    void embeddingsHaveUnitLengthAndDoNotDependOnTheBatch() {
        List<String> texts = List.of("We share the water by season.", "The mill closes.");
        float[][] together = encoder.embed(texts);
        float[] alone = encoder.embed(List.of(texts.get(1)))[0];

        assertThat(together[0]).hasSize(384);
        double norm = 0;
        for (float v : together[0]) {
            norm += v * v;
        }
        assertThat(norm).isCloseTo(1.0, within(1e-4));
        for (int d = 0; d < alone.length; d++) {
            assertThat(together[1][d]).isCloseTo(alone[d], within(1e-4f));
        }
    }

    @Test
    void aResolutionThatServesBothSidesScoresAboveAOneSidedOne() {
        AnchorScorer scorer = new AnchorScorer(encoder, null, 8);

        List<Verdict> verdicts = scorer.score(List.of(
                ScoringInput.text("The farmers and the millers agree to share the river: they "
                        + "publish the water levels together, take turns by season, and meet "
                        + "every spring to adjust the plan so both livelihoods thrive."),
                ScoringInput.text("The farmers take all the water and the millers have to "
                        + "close their mill."),
                ScoringInput.text("asdf qwer zxcv"))).verdicts();

        double fair = ((Verdict.Scored) verdicts.get(0)).reward();
        double oneSided = ((Verdict.Scored) verdicts.get(1)).reward();
        assertThat(fair).isGreaterThan(oneSided);
        assertThat(((Verdict.Scored) verdicts.get(0)).breakdown())
                .containsKeys("positive", "negative");
        assertThat(scorer.id()).isEqualTo("embedding:ca-anchors");
    }
}
