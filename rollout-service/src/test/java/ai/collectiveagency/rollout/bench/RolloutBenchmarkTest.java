package ai.collectiveagency.rollout.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * The rollout bench on a short run of the tiny fixture: its time split covers the wall time, and
 * its options bound the run as documented. No assertion on speed.
 */
class RolloutBenchmarkTest {

    private static final Path FIXTURE = Path.of("../models/qwen2-tiny-random");
    private static final List<String> PARTS = List.of("model_s", "templating_s", "agreement_s",
            "avro_s", "other_s");
    /** Each part is rounded to a millisecond. */
    private static final double ROUNDING = 0.001 * PARTS.size();

    @Test
    void splitsTheWallTimeIntoNonNegativePartsThatAddUpToIt() throws Exception {
        // 3 tasks in batches of 2: two rollout calls, the second one short
        RolloutBenchmark.Options options = new RolloutBenchmark.Options(FIXTURE, FIXTURE, null,
                3, 0, 2, 2, 2, 4, false, false, null);

        Map<String, Object> result = new RolloutBenchmark(options).run();

        @SuppressWarnings("unchecked")
        Map<String, Object> run = ((List<Map<String, Object>>) result.get("runs")).get(0);
        assertThat(run).containsEntry("tasks", 3).containsEntry("groups", 3)
                .containsEntry("trajectories", 6).containsEntry("batch_tasks", 2);
        @SuppressWarnings("unchecked")
        Map<String, Object> split = (Map<String, Object>) run.get("time_split");
        double wall = (double) split.get("wall_s");
        assertThat(wall).as("the run's wall time, there to the millisecond")
                .isCloseTo((double) run.get("wall_s"), Offset.offset(0.0006));
        double sum = 0;
        for (String part : PARTS) {
            assertThat(split).containsKey(part);
            double seconds = (double) split.get(part);
            assertThat(seconds).as(part).isGreaterThanOrEqualTo(0);
            sum += seconds;
        }
        assertThat(sum).isCloseTo(wall, Offset.offset(ROUNDING));
        // the parts really were timed: the model ran, text was encoded, the judge asked, Avro wrote
        assertThat((double) split.get("model_s")).isPositive();
        assertThat((double) split.get("templating_s")).isPositive();
        assertThat((double) split.get("agreement_model_s")).isPositive();
        assertThat((double) split.get("avro_s")).isPositive();
        double judge = (double) split.get("agreement_model_s")
                + (double) split.get("agreement_templating_s")
                + (double) split.get("agreement_other_s");
        assertThat(judge).isCloseTo((double) split.get("agreement_s"),
                Offset.offset(0.003));
        assertThat((double) run.get("model_s")).isCloseTo((double) split.get("model_s")
                + (double) split.get("agreement_model_s"),
                Offset.offset(0.002));
    }

    @Test
    void defaultsToThirtySecondsAndEitherBoundAloneBoundsTheRun() {
        RolloutBenchmark.Options defaults = RolloutBenchmark.parse(new String[0]);
        assertThat(defaults.tasks()).isEqualTo(Integer.MAX_VALUE);
        assertThat(defaults.seconds()).isEqualTo(30);
        assertThat(defaults.batchTasks()).isEqualTo(4);

        RolloutBenchmark.Options tasks = RolloutBenchmark.parse(new String[] {"--tasks", "5"});
        assertThat(tasks.tasks()).isEqualTo(5);
        assertThat(tasks.seconds()).isZero();

        RolloutBenchmark.Options seconds = RolloutBenchmark.parse(
                new String[] {"--seconds", "10", "--batch-tasks", "2"});
        assertThat(seconds.tasks()).isEqualTo(Integer.MAX_VALUE);
        assertThat(seconds.seconds()).isEqualTo(10);
        assertThat(seconds.batchTasks()).isEqualTo(2);

        RolloutBenchmark.Options both = RolloutBenchmark.parse(
                new String[] {"--tasks", "8", "--seconds", "10"});
        assertThat(both.tasks()).isEqualTo(8);
        assertThat(both.seconds()).isEqualTo(10);
    }

    @Test
    void namesTheOptionOfABadValue() {
        assertThatThrownBy(() -> RolloutBenchmark.parse(new String[] {"--tasks", "many"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--tasks needs a whole number, was many");
        assertThatThrownBy(() -> RolloutBenchmark.parse(new String[] {"--batch-tasks", "0"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--batch-tasks >= 1");
    }
}
