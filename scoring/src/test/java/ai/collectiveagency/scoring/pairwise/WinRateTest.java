package ai.collectiveagency.scoring.pairwise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Win rates counted by hand, as the negotiation paper counts them. */
class WinRateTest {

    private static final Preferred C = Preferred.CANDIDATE;
    private static final Preferred B = Preferred.BASELINE;
    private static final Preferred T = Preferred.TIE;

    private static WinRate of(List<PairwiseComparison> comparisons) {
        WinRate rate = new WinRate();
        comparisons.forEach(c -> rate.add(c.outcome()));
        return rate;
    }

    @Test
    void aWinNeedsBothOrdersAndEveryOtherJudgedPairIsATieOrALoss() {
        assertThat(PairwiseComparison.of(C, C).outcome()).isEqualTo(PairwiseOutcome.WIN);
        assertThat(PairwiseComparison.of(B, B).outcome()).isEqualTo(PairwiseOutcome.LOSS);
        assertThat(PairwiseComparison.of(T, T).outcome()).isEqualTo(PairwiseOutcome.TIE);
        assertThat(PairwiseComparison.of(C, B).outcome()).as("orders disagree")
                .isEqualTo(PairwiseOutcome.TIE);
        assertThat(PairwiseComparison.of(B, C).outcome()).as("orders disagree")
                .isEqualTo(PairwiseOutcome.TIE);
        assertThat(PairwiseComparison.of(C, T).outcome()).as("one order a tie")
                .isEqualTo(PairwiseOutcome.TIE);
        assertThat(PairwiseComparison.of(T, B).outcome()).isEqualTo(PairwiseOutcome.TIE);
        assertThat(PairwiseComparison.failed("judge down").outcome())
                .isEqualTo(PairwiseOutcome.FAILED);
    }

    /**
     * 10 pairs: 4 wins in both orders, 2 losses in both, 2 where the orders disagree, 1 tie in
     * both, 1 failed. n = 9 (the failed one is no judgement), ties = 3, so (4 + 3/2) / 9 = 0.6111;
     * leaving the disagreements out of n, as before, would have claimed 4 / 7 = 0.571 wins of
     * 7 while hiding two pairs, and the inflated "wins over consistent" 4/6 = 0.667.
     */
    @Test
    void orderDisagreementsCountAsTiesInTheDenominator() {
        WinRate rate = of(List.of(PairwiseComparison.of(C, C), PairwiseComparison.of(C, C),
                PairwiseComparison.of(C, C), PairwiseComparison.of(C, C),
                PairwiseComparison.of(B, B), PairwiseComparison.of(B, B),
                PairwiseComparison.of(C, B), PairwiseComparison.of(B, C),
                PairwiseComparison.of(T, T), PairwiseComparison.failed("timeout")));

        assertThat(rate.wins()).isEqualTo(4);
        assertThat(rate.losses()).isEqualTo(2);
        assertThat(rate.ties()).isEqualTo(3);
        assertThat(rate.failed()).isEqualTo(1);
        assertThat(rate.n()).isEqualTo(9);
        assertThat(rate.rate()).isCloseTo(5.5 / 9, within(1e-12));
    }

    /** Wilson's interval at p = 5.5/9, n = 9, z = 1.96: centre 0.5779, half-width 0.2687. */
    @Test
    void theIntervalIsWilsonsAndHoldsTheRate() {
        WinRate rate = of(List.of(PairwiseComparison.of(C, C), PairwiseComparison.of(C, C),
                PairwiseComparison.of(C, C), PairwiseComparison.of(C, C),
                PairwiseComparison.of(B, B), PairwiseComparison.of(B, B),
                PairwiseComparison.of(C, B), PairwiseComparison.of(B, C),
                PairwiseComparison.of(T, T)));

        WinRate.Interval interval = rate.interval();

        assertThat(interval.low()).isCloseTo(0.3092, within(5e-4));
        assertThat(interval.high()).isCloseTo(0.8466, within(5e-4));
        assertThat(interval.low()).isLessThanOrEqualTo(rate.rate());
        assertThat(interval.high()).isGreaterThanOrEqualTo(rate.rate());
    }

    @Test
    void allWinsAndAllLossesStayInsideZeroAndOne() {
        WinRate wins = of(List.of(PairwiseComparison.of(C, C), PairwiseComparison.of(C, C)));
        WinRate losses = of(List.of(PairwiseComparison.of(B, B)));

        assertThat(wins.rate()).isEqualTo(1.0);
        assertThat(wins.interval().high()).isEqualTo(1.0);
        assertThat(wins.interval().low()).isBetween(0.0, 1.0);
        assertThat(losses.rate()).isEqualTo(0.0);
        assertThat(losses.interval().low()).isEqualTo(0.0);
    }

    @Test
    void nothingJudgedHasNoRate() {
        WinRate rate = of(List.of(PairwiseComparison.failed("down")));

        assertThat(rate.n()).isZero();
        assertThat(rate.rate()).isNaN();
        assertThat(rate.interval().low()).isNaN();
    }
}
