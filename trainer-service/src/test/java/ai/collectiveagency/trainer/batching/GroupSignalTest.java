package ai.collectiveagency.trainer.batching;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.schemas.ScoredGroup;
import ai.collectiveagency.trainer.TestGroups;
import org.junit.jupiter.api.Test;

/** Which groups carry GRPO signal: the rule dynamic sampling and the step figures share. */
class GroupSignalTest {

    @Test
    void differingRewardsCarrySignalAndEqualOnesDoNot() {
        assertThat(GroupSignal.none(TestGroups.group("d", 0, 0.2, 0.2, 0.3))).isFalse();
        assertThat(GroupSignal.none(TestGroups.group("e", 0, 0.2, 0.2, 0.2))).isTrue();
        assertThat(GroupSignal.none(TestGroups.group("one", 0, 0.2, Double.NaN))).isTrue();
        assertThat(GroupSignal.none(TestGroups.group("none", 0, Double.NaN, Double.NaN)))
                .isTrue();
    }

    @Test
    void aNanRewardNotMarkedUnscorableCountsAsUnscorable() {
        ScoredGroup group = TestGroups.group("nan", 0, 3, 3, 0);
        group.getScores().get(2).setReward(Double.NaN); // unscorable stays false

        assertThat(GroupSignal.rewards(group)).containsExactly(3, 3);
        assertThat(GroupSignal.none(group)).as("the advantages treat NaN as unscorable").isTrue();
    }
}
