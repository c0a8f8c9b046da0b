package ai.collectiveagency.policy.grpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GrpoConfigTest {

    private static final GrpoConfig VALID = GrpoConfig.negotiationDefaults(256);

    @Test
    void negotiationDefaultsAreDapoWithoutKl() {
        assertThat(VALID).isEqualTo(new GrpoConfig(
                0.0, 0.2, 0.28, LossAggregation.DAPO, 256, RewardScaling.GROUP));
    }

    static Stream<Arguments> invalidConfigs() {
        return Stream.of(
                invalid("beta", c -> new GrpoConfig(-0.1, c.epsilonLow(), c.epsilonHigh(),
                        c.aggregation(), c.maxCompletionLength(), c.scaleRewards())),
                invalid("beta", c -> new GrpoConfig(Double.NaN, c.epsilonLow(),
                        c.epsilonHigh(), c.aggregation(), c.maxCompletionLength(),
                        c.scaleRewards())),
                invalid("epsilonLow", c -> new GrpoConfig(c.beta(), 1.0, c.epsilonHigh(),
                        c.aggregation(), c.maxCompletionLength(), c.scaleRewards())),
                invalid("epsilonHigh", c -> new GrpoConfig(c.beta(), c.epsilonLow(), -1,
                        c.aggregation(), c.maxCompletionLength(), c.scaleRewards())),
                invalid("maxCompletionLength", c -> new GrpoConfig(c.beta(), c.epsilonLow(),
                        c.epsilonHigh(), c.aggregation(), 0, c.scaleRewards())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidConfigs")
    void invalidFieldIsNamedInTheMessage(String field, UnaryOperator<GrpoConfig> change) {
        assertThatThrownBy(() -> change.apply(VALID))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(field + " must");
    }

    @Test
    void missingAggregationIsNamed() {
        assertThatThrownBy(() -> new GrpoConfig(0, 0.2, 0.2, null, 8, RewardScaling.GROUP))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("aggregation");
    }

    private static Arguments invalid(String field, UnaryOperator<GrpoConfig> change) {
        return Arguments.of(field, change);
    }
}
