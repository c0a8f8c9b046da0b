package ai.collectiveagency.demo.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The series the charts draw, as JSON columns. */
class RunSeriesTest {

    @Test
    void heldOutEvaluationsOfOneTrainerStepArePooledByTheirSamples() {
        RunSeries series = new RunSeries();
        series.heldOut(new HeldOutPoint(4, 2, 2, 1.0, 0.0, 1.0));
        series.heldOut(new HeldOutPoint(4, 2, 6, 3.0, 0.0, 0.0));
        series.heldOut(new HeldOutPoint(2, 1, 4, 0.5, 0.1, 0.5));

        assertThat(series.heldOut()).extracting(HeldOutPoint::trainerStep)
                .containsExactly(2L, 4L);
        HeldOutPoint pooled = series.heldOut().get(1);
        assertThat(pooled.samples()).isEqualTo(8);
        assertThat(pooled.rewardMean()).isCloseTo(2.5, within(1e-12));
        assertThat(pooled.agreementRate()).isCloseTo(0.25, within(1e-12));
        // Values 1,1,3,3,3,3,3,3: sample variance 6 / 7.
        assertThat(pooled.rewardStd()).isCloseTo(Math.sqrt(6.0 / 7), within(1e-12));
    }

    @Test
    void theLagTableHasAColumnPerGroupEverSeenWithNullWhereAWindowLacksIt() throws Exception {
        RunSeries series = new RunSeries();
        series.window(new ProgressWindow(5, Map.of(), 0, 0, Map.of()));
        series.window(new ProgressWindow(10, Map.of("prompts", 2.0), 0, 1,
                Map.of("rollout-service", 3L)));
        series.window(new ProgressWindow(15, Map.of(), 1, 1,
                Map.of("rollout-service", 1L, "trainer-service", 6L)));

        JsonNode json = new ObjectMapper().readTree(series.json());
        assertThat(json.at("/lag/seconds").toString()).isEqualTo("[5.0,10.0,15.0]");
        assertThat(json.at("/lag/rollout-service").toString()).isEqualTo("[null,3.0,1.0]");
        assertThat(json.at("/lag/trainer-service").toString()).isEqualTo("[null,null,6.0]");
        assertThat(json.at("/windows/prompts_per_second").toString())
                .isEqualTo("[null,2.0,null]");
    }

    @Test
    void winRatesAgainstTheBaseAreColumnsPerSetAndDecodingWithTheirIntervalByVersion()
            throws Exception {
        RunSeries series = new RunSeries();
        series.winRate(point(4, "negotiation-v1", "greedy", "base", 0.5));
        series.winRate(point(4, "open-ended-v1", "greedy", "base", 0.75));
        series.winRate(point(2, "negotiation-v1", "greedy", "base", 0.25));
        series.winRate(point(4, "negotiation-v1", "greedy", "other/v3", 0.9));

        JsonNode json = new ObjectMapper().readTree(series.json());
        assertThat(json.at("/winrate/policy_version").toString()).isEqualTo("[2.0,4.0]");
        assertThat(json.at("/winrate/negotiation-v1 greedy").toString())
                .isEqualTo("[0.25,0.5]");
        assertThat(json.at("/winrate/negotiation-v1 greedy ci_low").toString())
                .isEqualTo("[0.125,0.375]");
        assertThat(json.at("/winrate/negotiation-v1 greedy ci_high").toString())
                .isEqualTo("[0.375,0.625]");
        assertThat(json.at("/winrate/open-ended-v1 greedy").toString())
                .isEqualTo("[null,0.75]");
        assertThat(json.get("winrate").size()).as("x and three columns per series").isEqualTo(7);
    }

    @Test
    void aSecondEvaluationOfAVersionSetAndDecodingReplacesTheFirst() throws Exception {
        RunSeries series = new RunSeries();
        series.winRate(point(4, "negotiation-v1", "sampled", "base", 0.5));
        series.winRate(point(4, "negotiation-v1", "sampled", "base", 0.625));

        JsonNode json = new ObjectMapper().readTree(series.json());
        assertThat(json.at("/winrate/negotiation-v1 sampled").toString()).isEqualTo("[0.625]");
    }

    @Test
    void thePapersStepFiguresAreColumnsOfTheSteps() throws Exception {
        RunSeries series = new RunSeries();
        series.step(1, Map.of("zero_advantage_share", 0.5, "no_agreement_rate", 0.25,
                "rounds_mean", 3.5, "reward_group_min", -0.1));

        JsonNode json = new ObjectMapper().readTree(series.json());
        assertThat(json.at("/steps/zero_advantage_share/0").asDouble()).isEqualTo(0.5);
        assertThat(json.at("/steps/no_agreement_rate/0").asDouble()).isEqualTo(0.25);
        assertThat(json.at("/steps/rounds_mean/0").asDouble()).isEqualTo(3.5);
        assertThat(json.at("/steps/reward_group_min/0").asDouble()).isEqualTo(-0.1);
        assertThat(series.stepValues("rounds_mean")).containsExactly(3.5);
    }

    private static WinRatePoint point(long version, String set, String decoding, String against,
            double rate) {
        return new WinRatePoint(version, set, decoding, against, rate, rate - 0.125,
                rate + 0.125, 16, 6, 4, 6);
    }

    @Test
    void stepValuesSkipStepsWithoutTheMetric() {
        RunSeries series = new RunSeries();
        series.step(1, Map.of("reward_mean", 0.1));
        series.step(2, Map.of("kl", 0.1));
        series.step(3, Map.of("reward_mean", Double.NaN));
        series.step(4, Map.of("reward_mean", 0.4));

        assertThat(series.stepValues("reward_mean")).containsExactly(0.1, 0.4);
    }
}
