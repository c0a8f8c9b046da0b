package ai.collectiveagency.trainer.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MomentsTest {

    static Stream<Arguments> samples() {
        return Stream.of(
                Arguments.of(new double[] {}, 0, Double.NaN, 0.0),
                Arguments.of(new double[] {0.3}, 1, 0.3, 0.0),
                Arguments.of(new double[] {1, 3}, 2, 2.0, Math.sqrt(2)),
                Arguments.of(new double[] {0.2, 0.6, 1.0}, 3, 0.6, 0.4));
    }

    @ParameterizedTest
    @MethodSource("samples")
    void meanAndUnbiasedStdNaNMeanWhenEmptyZeroStdBelowTwo(double[] values, int count,
            double mean, double std) {
        Moments moments = Moments.of(values);

        assertThat(moments.count()).isEqualTo(count);
        if (Double.isNaN(mean)) {
            assertThat(moments.mean()).isNaN();
        } else {
            assertThat(moments.mean()).isCloseTo(mean, within(1e-12));
        }
        assertThat(moments.std()).isCloseTo(std, within(1e-12));
    }
}
