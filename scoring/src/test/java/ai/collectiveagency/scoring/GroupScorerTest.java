package ai.collectiveagency.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.schemas.ScoredGroup;
import ai.collectiveagency.schemas.TrajectoryScore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GroupScorerTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T01:02:03Z"), ZoneOffset.UTC);

    /** Scores a text by its length; records what it was asked. */
    static final class LengthScorer implements Scorer {
        final List<String> asked = new ArrayList<>();

        @Override
        public String id() {
            return "length";
        }

        @Override
        public Scores score(List<ScoringInput> inputs) {
            inputs.forEach(i -> asked.add(i.text()));
            return new Scores(inputs.stream().<Verdict>map(i -> new Verdict.Scored(
                    i.text().length(), Map.of("chars", (double) i.text().length()))).toList(),
                    "7");
        }
    }


    @Test
    void resolutionsAreScoredInOneBatchAndFailedTrajectoriesGetZeroByDefault() {
        LengthScorer scorer = new LengthScorer();

        ScoredGroup scored = new GroupScorer(scorer, FailedTrajectories.ZERO, CLOCK)
                .score(TestData.group("t1", "abc", null, "abcdef")).scored();

        assertThat(scorer.asked).containsExactly("abc", "abcdef");
        assertThat(scored.getScores()).extracting(TrajectoryScore::getReward)
                .containsExactly(3.0, 0.0, 6.0);
        assertThat(scored.getScores().get(1).getBreakdown()).containsEntry("failed", 1.0);
        assertThat(scored.getScores()).extracting(TrajectoryScore::getTrajectoryId)
                .containsExactly("t1-g-0", "t1-g-1", "t1-g-2");
        assertThat(scored.getScorerId()).isEqualTo("length");
        assertThat(scored.getScorerVersion()).isEqualTo("7");
        assertThat(scored.getScoredAt()).isEqualTo(CLOCK.instant());
    }

    @Test
    void failedTrajectoriesCanBeUnscorableInstead() {
        ScoredGroup scored = new GroupScorer(new LengthScorer(), FailedTrajectories.UNSCORABLE,
                CLOCK).score(TestData.group("t2", null, "ab")).scored();

        TrajectoryScore failed = scored.getScores().get(0);
        assertThat(failed.getUnscorable()).isTrue();
        assertThat(failed.getReward()).isNull();
        assertThat(failed.getUnscorableReason()).contains("failed trajectory");
        assertThat(scored.getScores().get(1).getReward()).isEqualTo(2.0);
    }
}
