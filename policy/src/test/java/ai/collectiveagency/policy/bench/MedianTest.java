package ai.collectiveagency.policy.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The training figures are the median step: one slow step among five does not move them. */
class MedianTest {

    @Test
    void middleStepOfAnOddCountAndMeanOfTheTwoMiddleOfAnEvenOne() {
        double[] steps = {2.2, 2.9, 2.1, 2.3, 2.25};

        assertThat(PolicyBenchmark.median(steps)).isEqualTo(2.25);
        assertThat(steps).as("left as timed").containsExactly(2.2, 2.9, 2.1, 2.3, 2.25);
        assertThat(PolicyBenchmark.median(new double[] {3.0, 1.0, 4.0, 2.0})).isEqualTo(2.5);
        assertThat(PolicyBenchmark.median(new double[] {1.5})).isEqualTo(1.5);
    }
}
