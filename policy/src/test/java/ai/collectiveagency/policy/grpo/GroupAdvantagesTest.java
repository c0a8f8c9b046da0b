package ai.collectiveagency.policy.grpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class GroupAdvantagesTest {

    private final AdvantageEstimator estimator = new GroupAdvantages(RewardScaling.GROUP);

    @Test
    void advantageIsTheRewardStandardisedWithinItsGroup() {
        // Group 1: mean 2, unbiased std 1. Group 2: mean 10, std 0 (all equal).
        double[] advantages = estimator.estimate(new double[] {1, 2, 3, 10, 10, 10}, 3);

        double scale = 1 + GroupAdvantages.STD_EPSILON;
        assertThat(advantages).containsExactly(
                new double[] {-1 / scale, 0, 1 / scale, 0, 0, 0}, within(1e-12));
    }

    @Test
    void unscorableRewardGetsZeroAndDoesNotShiftTheBaseline() {
        double[] withMissing = estimator.estimate(new double[] {1, Double.NaN, 2, 3}, 4);
        double[] without = estimator.estimate(new double[] {1, 2, 3}, 3);

        assertThat(withMissing[1]).isZero();
        assertThat(new double[] {withMissing[0], withMissing[2], withMissing[3]})
                .containsExactly(without, within(1e-12));
    }

    @Test
    void singletonValidGroupHasZeroAdvantage() {
        double[] advantages = estimator.estimate(
                new double[] {Double.NaN, 7, Double.NaN, 1, 2, 4}, 3);

        assertThat(advantages).startsWith(0, 0, 0);
        assertThat(advantages[3]).isNegative();
    }

    @Test
    void groupOfOneHasZeroAdvantage() {
        assertThat(estimator.estimate(new double[] {3, 5}, 1)).containsExactly(0, 0);
    }

    @Test
    void withoutScalingAdvantageIsTheRewardMinusTheGroupMean() {
        double[] advantages = new GroupAdvantages(RewardScaling.NONE)
                .estimate(new double[] {1, 2, 6}, 3);

        assertThat(advantages).containsExactly(new double[] {-2, -1, 3}, within(1e-12));
    }

    @Test
    void groupSizeMustDivideTheBatch() {
        assertThatThrownBy(() -> estimator.estimate(new double[5], 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("groupSize");
    }

    @Test
    void infiniteRewardIsRefused() {
        assertThatThrownBy(() -> estimator.estimate(
                new double[] {1, Double.POSITIVE_INFINITY}, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rewards");
    }
}
