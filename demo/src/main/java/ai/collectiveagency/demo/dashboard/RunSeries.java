package ai.collectiveagency.demo.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the dashboard plots, collected as the run goes: one point per trainer step (reward, KL,
 * loss, clip fraction, staleness, step time) and one per progress window (scored groups per
 * second, the newest policy version the fleet sampled with, the newest checkpoint).
 * Thread-safe: the progress line writes, the HTTP server reads.
 */
public final class RunSeries {

    /** The step metrics kept, as the trainer names them. */
    public static final List<String> STEP_METRICS = List.of("reward_mean", "kl", "loss",
            "clip_fraction", "staleness_mean", "step_seconds");

    private final List<double[]> steps = new ArrayList<>();
    private final List<double[]> windows = new ArrayList<>();
    private final long start = System.currentTimeMillis();

    /** A trainer step's metrics. */
    public synchronized void step(long step, Map<String, Double> metrics) {
        double[] point = new double[STEP_METRICS.size() + 1];
        point[0] = step;
        for (int i = 0; i < STEP_METRICS.size(); i++) {
            Double value = metrics.get(STEP_METRICS.get(i));
            point[i + 1] = value == null ? Double.NaN : value;
        }
        steps.add(point);
    }

    /** A progress window's throughput and versions. */
    public synchronized void window(double groupsPerSecond, long fleetVersion, long checkpoint) {
        windows.add(new double[] {(System.currentTimeMillis() - start) / 1000.0, groupsPerSecond,
            fleetVersion, checkpoint});
    }

    /** Everything as JSON columns, the shape uPlot takes: {@code {"steps": {"step": [...], ...}}}. */
    public synchronized String json() {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        ObjectNode stepColumns = root.putObject("steps");
        columns(stepColumns, steps, prepend("step", STEP_METRICS));
        ObjectNode windowColumns = root.putObject("windows");
        columns(windowColumns, windows, List.of("seconds", "groups_per_second", "fleet_version",
                "checkpoint"));
        return root.toString();
    }

    private static void columns(ObjectNode out, List<double[]> rows, List<String> names) {
        for (int c = 0; c < names.size(); c++) {
            ArrayNode column = out.putArray(names.get(c));
            for (double[] row : rows) {
                if (Double.isFinite(row[c])) {
                    column.add(row[c]);
                } else {
                    column.addNull();
                }
            }
        }
    }

    private static List<String> prepend(String first, List<String> rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }
}
