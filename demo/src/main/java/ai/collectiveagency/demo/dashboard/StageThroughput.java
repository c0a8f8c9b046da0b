package ai.collectiveagency.demo.dashboard;

import java.util.HashMap;
import java.util.Map;

/**
 * Records per second per stage between successive counts: each stage's count (records written
 * to its topic, trainer steps taken) minus the one before, over the time between them. A stage
 * missing from a reading (its count was not available) keeps its last count, so the next rate
 * spans the gap.
 */
public final class StageThroughput {

    private final Map<String, long[]> last = new HashMap<>();

    /**
     * @param counts a running count per stage
     * @param nanos when they were taken ({@link System#nanoTime()})
     * @return the rate of each stage counted before as well
     */
    public Map<String, Double> rates(Map<String, Long> counts, long nanos) {
        Map<String, Double> rates = new HashMap<>();
        counts.forEach((stage, count) -> {
            long[] before = last.put(stage, new long[] {count, nanos});
            if (before != null && nanos > before[1]) {
                rates.put(stage, (count - before[0]) / ((nanos - before[1]) / 1e9));
            }
        });
        return rates;
    }
}
