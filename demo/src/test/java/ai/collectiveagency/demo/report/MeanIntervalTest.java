package ai.collectiveagency.demo.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A mean with its 95% Student-t interval. */
class MeanIntervalTest {

    @Test
    void fiveValuesGetTheirMeanPlusMinusTTimesTheStandardError() {
        MeanInterval interval = MeanInterval.of(List.of(1.0, 2.0, 3.0, 4.0, 5.0));

        // sd = sqrt(2.5), se = sqrt(2.5 / 5), t(4) = 2.776 (to the 3 decimals of a t table)
        double half = 2.776 * Math.sqrt(0.5);
        assertThat(interval.n()).isEqualTo(5);
        assertThat(interval.mean()).isEqualTo(3.0);
        assertThat(interval.ciLow()).isCloseTo(3 - half, within(1e-3));
        assertThat(interval.ciHigh()).isCloseTo(3 + half, within(1e-3));
    }

    @Test
    void oneValueHasAMeanButNoInterval() {
        MeanInterval interval = MeanInterval.of(List.of(0.4));

        assertThat(interval.mean()).isEqualTo(0.4);
        assertThat(interval.ciLow()).isNaN();
        assertThat(interval.ciHigh()).isNaN();
        assertThat(MeanInterval.of(List.of()).mean()).isNaN();
    }

    /** Reference quantiles of Student's t at 0.975. */
    @ParameterizedTest
    @CsvSource({"1, 12.706", "19, 2.093", "30, 2.042", "40, 2.021", "60, 2.000",
        "120, 1.980"})
    void theTQuantileMatchesTheTables(int df, double t) {
        assertThat(MeanInterval.t975(df)).isCloseTo(t, within(0.001));
    }
}
