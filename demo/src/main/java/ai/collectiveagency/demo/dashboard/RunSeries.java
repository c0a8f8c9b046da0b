package ai.collectiveagency.demo.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * What the charts plot, collected as the run goes: one point per trainer step (reward, KL, loss,
 * clip fraction, staleness, step time, and the paper's figures: zero-advantage share,
 * no-agreement rate, rounds, group-minimum reward), one per trainer step that held-out
 * evaluations followed (pooled), one per checkpoint the evaluation-service compared with the base
 * model (win rate and interval per set and decoding), and one per progress window (throughput
 * per stage, policy versions, consumer lag). Thread-safe: the progress line writes, the HTTP
 * server and the report read.
 */
public final class RunSeries {

    /** The step metrics kept, as the trainer names them. */
    public static final List<String> STEP_METRICS = List.of("reward_mean", "kl", "loss",
            "clip_fraction", "staleness_mean", "step_seconds", "zero_advantage_share",
            "no_agreement_rate", "rounds_mean", "reward_group_min");

    private final List<double[]> steps = new ArrayList<>();
    private final TreeMap<Long, HeldOutPoint> heldOut = new TreeMap<>();
    /** Win rates against the base model by version, then by series (set and decoding). */
    private final TreeMap<Long, Map<String, WinRatePoint>> winRates = new TreeMap<>();
    private final List<ProgressWindow> windows = new ArrayList<>();
    private String generation = "local";

    /** Where rollouts are generated, in words: {@code local}, or the remote engine. */
    public synchronized void generation(String where) {
        this.generation = where;
    }

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

    /** A held-out evaluation, pooled with the others of its trainer step. */
    public synchronized void heldOut(HeldOutPoint point) {
        heldOut.merge(point.trainerStep(), point, HeldOutPoint::pool);
    }

    /**
     * A win rate; the chart shows those against the base model, others are left out. A second
     * evaluation of the same version, set and decoding replaces the first.
     */
    public synchronized void winRate(WinRatePoint point) {
        if (point.againstBase()) {
            winRates.computeIfAbsent(point.policyVersion(), v -> new TreeMap<>())
                    .put(point.series(), point);
        }
    }

    /** A progress window's throughput, versions and lag. */
    public synchronized void window(ProgressWindow window) {
        windows.add(window);
    }

    /** The finite values of one step metric, in step order (for the report's summary). */
    public synchronized List<Double> stepValues(String metric) {
        int column = STEP_METRICS.indexOf(metric) + 1;
        if (column == 0) {
            throw new IllegalArgumentException("not a kept step metric: " + metric);
        }
        return steps.stream().map(p -> p[column]).filter(Double::isFinite).toList();
    }

    /** The held-out points in trainer-step order. */
    public synchronized List<HeldOutPoint> heldOut() {
        return List.copyOf(heldOut.values());
    }

    /**
     * Everything as JSON columns, the shape uPlot takes: tables {@code steps} (x: step),
     * {@code heldout} (x: trainer_step), {@code winrate} (x: policy_version; per series, e.g.
     * {@code negotiation-v1 greedy}, three columns: the series' name for the win rate against
     * the base model, and {@code <series> ci_low}, {@code <series> ci_high} for its interval),
     * {@code windows}, {@code lag} (x: seconds; lag has one column per consumer group), {@code
     * replica_versions} and {@code replica_groups} (x: seconds; one column per replica: the
     * version it serves, its groups per second). Unknown values are null.
     */
    public synchronized String json() {
        ObjectNode root = new ObjectMapper().createObjectNode();
        root.put("generation", generation);
        ObjectNode stepColumns = root.putObject("steps");
        column(stepColumns, "step", steps, p -> p[0]);
        for (int i = 0; i < STEP_METRICS.size(); i++) {
            int c = i + 1;
            column(stepColumns, STEP_METRICS.get(i), steps, p -> p[c]);
        }
        List<HeldOutPoint> points = List.copyOf(heldOut.values());
        ObjectNode held = root.putObject("heldout");
        column(held, "trainer_step", points, HeldOutPoint::trainerStep);
        column(held, "policy_version", points, HeldOutPoint::policyVersion);
        column(held, "samples", points, HeldOutPoint::samples);
        column(held, "reward_mean", points, HeldOutPoint::rewardMean);
        column(held, "reward_std", points, HeldOutPoint::rewardStd);
        column(held, "agreement_rate", points, HeldOutPoint::agreementRate);
        winRateTable(root.putObject("winrate"));
        ObjectNode windowColumns = root.putObject("windows");
        column(windowColumns, "seconds", windows, ProgressWindow::seconds);
        for (String stage : ProgressWindow.STAGES) {
            column(windowColumns, stage + "_per_second", windows,
                    w -> w.perSecond().getOrDefault(stage, Double.NaN));
        }
        column(windowColumns, "fleet_version", windows, ProgressWindow::fleetVersion);
        column(windowColumns, "checkpoint", windows, ProgressWindow::checkpoint);
        ObjectNode lag = root.putObject("lag");
        column(lag, "seconds", windows, ProgressWindow::seconds);
        TreeSet<String> groups = new TreeSet<>();
        windows.forEach(w -> groups.addAll(w.lag().keySet()));
        for (String group : groups) {
            column(lag, group, windows, w -> {
                Long records = w.lag().get(group);
                return records == null ? Double.NaN : records;
            });
        }
        replicaTable(root.putObject("replica_versions"), ReplicaPoint::policyVersion);
        replicaTable(root.putObject("replica_groups"), ReplicaPoint::groupsPerSecond);
        return root.toString();
    }

    /**
     * The win rates against the base model by checkpoint version: per series its rate and its
     * interval's ends, null where the version has no evaluation of that series.
     */
    private void winRateTable(ObjectNode table) {
        List<Long> versions = List.copyOf(winRates.keySet());
        column(table, "policy_version", versions, Long::doubleValue);
        TreeSet<String> names = new TreeSet<>();
        winRates.values().forEach(points -> names.addAll(points.keySet()));
        for (String name : names) {
            column(table, name, versions, v -> fact(v, name, WinRatePoint::winRate));
            column(table, name + " ci_low", versions, v -> fact(v, name, WinRatePoint::ciLow));
            column(table, name + " ci_high", versions, v -> fact(v, name,
                    WinRatePoint::ciHigh));
        }
    }

    private double fact(long version, String series, ToDoubleFunction<WinRatePoint> fact) {
        WinRatePoint point = winRates.get(version).get(series);
        return point == null ? Double.NaN : fact.applyAsDouble(point);
    }

    /**
     * A table of one replica fact by window: x {@code seconds}, one column per replica that
     * ever had the fact (reward replicas serve no version), null where it did not (not running
     * yet or any more, not answering).
     */
    private void replicaTable(ObjectNode table, Function<ReplicaPoint, Number> fact) {
        column(table, "seconds", windows, ProgressWindow::seconds);
        TreeSet<String> replicas = new TreeSet<>();
        windows.forEach(w -> w.replicas().stream().filter(r -> fact.apply(r) != null)
                .forEach(r -> replicas.add(r.replica())));
        for (String replica : replicas) {
            column(table, replica, windows, w -> w.replicas().stream()
                    .filter(r -> r.replica().equals(replica) && fact.apply(r) != null)
                    .mapToDouble(r -> fact.apply(r).doubleValue()).findFirst()
                    .orElse(Double.NaN));
        }
    }

    private static <T> void column(ObjectNode table, String name, List<T> rows,
            ToDoubleFunction<T> value) {
        ArrayNode column = table.putArray(name);
        for (T row : rows) {
            double v = value.applyAsDouble(row);
            if (Double.isFinite(v)) {
                column.add(v);
            } else {
                column.addNull();
            }
        }
    }
}
