package ai.collectiveagency.trainer.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.schemas.ScoredGroup;
import ai.collectiveagency.schemas.TaskMode;
import ai.collectiveagency.schemas.Trajectory;
import ai.collectiveagency.trainer.TestGroups;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GroupOutcomesTest {

    private static final double NAN = Double.NaN;

    @Test
    void figuresOfAMixedStepMatchTheHandCount() {
        List<ScoredGroup> step = List.of(
                // rewards differ; one of three did not agree; 2 + 7 + 4 turns; min 0.2
                negotiation("g1", new double[] {0.2, 0.8, 0.5},
                        new boolean[] {true, false, true}, new int[] {2, 7, 4}),
                // the two rewards are equal (the third unscorable): no gradient; min 0.5
                negotiation("g2", new double[] {0.5, 0.5, NAN},
                        new boolean[] {false, false, false}, new int[] {7, 7, 7}),
                // a single-agent group: in the reward figures, not in the negotiation ones
                single("g3", 0.1, 0.9),
                // nothing scorable: no gradient, no minimum; its dialogues still count
                negotiation("g4", new double[] {NAN, NAN},
                        new boolean[] {true, false}, new int[] {3, 7}));

        Map<String, Double> figures = figuresOf(step);

        assertThat(figures).containsOnlyKeys("reward_mean", "reward_std", "zero_advantage_share",
                "no_agreement_rate", "rounds_mean", "reward_group_min");
        assertThat(figures.get("zero_advantage_share")).isEqualTo(2 / 4.0);
        // 8 negotiation trajectories: 1 + 3 + 1 without agreement, 13 + 21 + 10 turns
        assertThat(figures.get("no_agreement_rate")).isEqualTo(5 / 8.0);
        assertThat(figures.get("rounds_mean")).isEqualTo(44 / 8.0);
        assertThat(figures.get("reward_group_min"))
                .isCloseTo((0.2 + 0.5 + 0.1) / 3, within(1e-12));
        Moments rewards = Moments.of(new double[] {0.2, 0.8, 0.5, 0.5, 0.5, 0.1, 0.9});
        assertThat(figures.get("reward_mean")).isCloseTo(rewards.mean(), within(1e-15));
        assertThat(figures.get("reward_std")).isCloseTo(rewards.std(), within(1e-15));
    }

    @Test
    void outcomesBuiltAGroupAtATimeLeaveEveryEarlierValueAsItWas() {
        GroupOutcomes first = GroupOutcomes.NONE.plus(single("a", 1, 3));
        GroupOutcomes both = first.plus(single("b", 5, 5));

        assertThat(GroupOutcomes.NONE.figures()).isEmpty();
        assertThat(first.figures()).containsEntry("reward_mean", 2.0)
                .containsEntry("zero_advantage_share", 0.0);
        assertThat(both.figures()).containsEntry("reward_mean", 3.5)
                .containsEntry("zero_advantage_share", 0.5);
        assertThat(both.figures().get("reward_std"))
                .isCloseTo(Moments.of(new double[] {1, 3, 5, 5}).std(), within(1e-15));
    }

    @Test
    void aSingleAgentStepHasNoNegotiationFigures() {
        Map<String, Double> figures = figuresOf(List.of(single("s1", 0.3, 0.3, 0.3),
                single("s2", 0.4, 0.1, 0.7)));

        assertThat(figures).containsOnlyKeys("reward_mean", "reward_std", "zero_advantage_share",
                "reward_group_min");
        assertThat(figures.get("zero_advantage_share")).isEqualTo(0.5);
        assertThat(figures.get("reward_group_min")).isCloseTo(0.2, within(1e-12));
    }

    @Test
    void aGroupWithOneRewardCarriesNoGradientAndAnyDifferenceDoes() {
        Map<String, Double> figures = figuresOf(List.of(single("one", 0.6, NAN),
                single("close", 0.6, Math.nextUp(0.6))));

        assertThat(figures.get("zero_advantage_share")).isEqualTo(0.5);
        assertThat(figures.get("reward_group_min")).isCloseTo(0.6, within(1e-12));
    }

    @Test
    void aStepWithoutAnyRewardHasNoGroupMinimum() {
        Map<String, Double> figures = figuresOf(List.of(single("u", NAN, NAN)));

        assertThat(figures).containsOnlyKeys("reward_mean", "reward_std", "zero_advantage_share");
        assertThat(figures.get("reward_mean")).isNaN();
        assertThat(figures).containsEntry("reward_std", 0.0)
                .containsEntry("zero_advantage_share", 1.0);
    }

    /** The figures of {@code groups}, each added in turn as the trainer loop adds them. */
    private static Map<String, Double> figuresOf(List<ScoredGroup> groups) {
        GroupOutcomes outcomes = GroupOutcomes.NONE;
        for (ScoredGroup group : groups) {
            outcomes = outcomes.plus(group);
        }
        return outcomes.figures();
    }

    private static ScoredGroup negotiation(String id, double[] rewards, boolean[] agreed,
            int[] rounds) {
        ScoredGroup group = TestGroups.group(id, 0, rewards);
        List<Trajectory> trajectories = group.getGroup().getTrajectories();
        for (int i = 0; i < trajectories.size(); i++) {
            trajectories.get(i).setAgreementReached(agreed[i]);
            trajectories.get(i).setRounds(rounds[i]);
        }
        return group;
    }

    /** A SINGLE-mode group: one answer per trajectory, no rounds, never an agreement. */
    private static ScoredGroup single(String id, double... rewards) {
        ScoredGroup group = TestGroups.group(id, 0, rewards);
        group.getGroup().getTask().setMode(TaskMode.SINGLE);
        group.getGroup().getTrajectories().forEach(t -> {
            t.setAgreementReached(false);
            t.setRounds(0);
        });
        return group;
    }
}
