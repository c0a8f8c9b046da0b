package ai.collectiveagency.schemas;

import static ai.collectiveagency.schemas.Samples.score;
import static ai.collectiveagency.schemas.Samples.scoredGroup;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScoredGroupsTest {

  @Test
  void oneScorePerTrajectoryPasses() {
    assertThatCode(() -> ScoredGroups.validate(scoredGroup())).doesNotThrowAnyException();
  }

  @Test
  void missingScoreIsRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ScoredGroups.validate(scoredGroup(score("t-0", 1.0))))
        .withMessage("scores: no score for trajectories [t-1]");
  }

  @Test
  void scoreForUnknownTrajectoryIsRefused() {
    ScoredGroup scored = scoredGroup(score("t-0", 1.0), score("t-1", 1.0), score("t-9", 1.0));

    assertThatIllegalArgumentException()
        .isThrownBy(() -> ScoredGroups.validate(scored))
        .withMessage("scores[2]: unknown trajectory t-9");
  }

  @Test
  void secondScoreForOneTrajectoryIsRefused() {
    ScoredGroup scored = scoredGroup(score("t-0", 1.0), score("t-0", 2.0));

    assertThatIllegalArgumentException()
        .isThrownBy(() -> ScoredGroups.validate(scored))
        .withMessage("scores[1]: second score for trajectory t-0");
  }

  @Test
  void rewardWithoutScorableFlagIsRefused() {
    TrajectoryScore contradictory = score("t-1", 0.5);
    contradictory.setUnscorable(true);
    contradictory.setUnscorableReason("judge refused");

    assertThatIllegalArgumentException()
        .isThrownBy(() -> ScoredGroups.validate(scoredGroup(score("t-0", 1.0), contradictory)))
        .withMessage("scores[1]: unscorable but has reward 0.5");
  }

  @Test
  void missingRewardOnAScorableTrajectoryIsRefused() {
    TrajectoryScore silent = score("t-1", null);
    silent.setUnscorable(false);

    assertThatIllegalArgumentException()
        .isThrownBy(() -> ScoredGroups.validate(scoredGroup(score("t-0", 1.0), silent)))
        .withMessage("scores[1]: no reward but not marked unscorable");
  }

  @Test
  void nonFiniteRewardIsRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ScoredGroups.validate(
            scoredGroup(score("t-0", Double.NaN), score("t-1", 1.0))))
        .withMessage("scores[0]: reward is NaN");
  }

  @Test
  void brokenEmbeddedGroupIsRefusedWithItsPath() {
    ScoredGroup scored = scoredGroup();
    scored.getGroup().getTrajectories().get(0).getTurns().get(0)
        .setCompletionLogprobs(List.of(-1f));

    assertThatIllegalArgumentException()
        .isThrownBy(() -> ScoredGroups.validate(scored))
        .withMessage("group.trajectories[0].turns[0]: 2 completion ids but 1 log-probs");
  }
}
