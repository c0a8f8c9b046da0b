package ai.collectiveagency.schemas;

import static ai.collectiveagency.schemas.Samples.rolloutGroup;
import static ai.collectiveagency.schemas.Samples.trajectory;
import static ai.collectiveagency.schemas.Samples.turn;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutGroupsTest {

  private static final Turn GOOD = turn(Segment.PERSONA_A, List.of(1, 2), List.of(-1f, -2f));

  @Test
  void wellFormedGroupPasses() {
    assertThatCode(() -> RolloutGroups.validate(rolloutGroup())).doesNotThrowAnyException();
  }

  @Test
  void logProbCountDifferentFromTokenCountIsRefusedWithItsPath() {
    Turn bad = turn(Segment.PERSONA_B, List.of(1, 2, 3), List.of(-1f, -2f));
    RolloutGroup group = rolloutGroup(
        trajectory("t-0", GOOD), trajectory("t-1", GOOD), trajectory("t-2", GOOD, bad));

    assertThatIllegalArgumentException()
        .isThrownBy(() -> RolloutGroups.validate(group))
        .withMessage("trajectories[2].turns[1]: 3 completion ids but 2 log-probs");
  }

  @Test
  void duplicateTrajectoryIdIsRefused() {
    RolloutGroup group = rolloutGroup(trajectory("t-0", GOOD), trajectory("t-0", GOOD));

    assertThatIllegalArgumentException()
        .isThrownBy(() -> RolloutGroups.validate(group))
        .withMessage("trajectories[1]: duplicate trajectory id t-0");
  }

  @Test
  void emptyGroupIsRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RolloutGroups.validate(rolloutGroup(new Trajectory[0])))
        .withMessageStartingWith("trajectories: ");
  }
}
