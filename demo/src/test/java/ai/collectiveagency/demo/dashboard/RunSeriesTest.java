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
    void stepValuesSkipStepsWithoutTheMetric() {
        RunSeries series = new RunSeries();
        series.step(1, Map.of("reward_mean", 0.1));
        series.step(2, Map.of("kl", 0.1));
        series.step(3, Map.of("reward_mean", Double.NaN));
        series.step(4, Map.of("reward_mean", 0.4));

        assertThat(series.stepValues("reward_mean")).containsExactly(0.1, 0.4);
    }
}
