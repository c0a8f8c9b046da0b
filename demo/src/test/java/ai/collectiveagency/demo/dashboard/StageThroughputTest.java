package ai.collectiveagency.demo.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Records per second per stage from running counts taken at given instants. */
class StageThroughputTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aRateIsTheCountsDifferenceOverTheTimeBetweenReadings() {
        StageThroughput throughput = new StageThroughput();

        assertThat(throughput.rates(Map.of("prompts", 100L, "steps", 0L), 0)).isEmpty();
        assertThat(throughput.rates(Map.of("prompts", 110L, "steps", 2L), 5 * SECOND))
                .isEqualTo(Map.of("prompts", 2.0, "steps", 0.4));
    }

    @Test
    void aStageMissingFromAReadingGetsARateSpanningTheGap() {
        StageThroughput throughput = new StageThroughput();
        throughput.rates(Map.of("scored", 0L, "steps", 0L), 0);

        assertThat(throughput.rates(Map.of("steps", 1L), 5 * SECOND)).containsOnlyKeys("steps");
        assertThat(throughput.rates(Map.of("scored", 20L, "steps", 2L), 10 * SECOND))
                .isEqualTo(Map.of("scored", 2.0, "steps", 0.2));
    }
}
