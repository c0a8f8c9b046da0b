package ai.collectiveagency.demo.report;

import ai.collectiveagency.demo.dashboard.WinRatePoint;
import ai.collectiveagency.schemas.EvalResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The run's win-rate evaluations (the evaluation-service's, one per version, set, decoding and
 * opponent), and which of them the report shows: the last evaluated checkpoint's. Not
 * thread-safe: {@link RunRecord} guards it.
 */
final class WinRates {

    /** Judged pairs the report shows. */
    static final int PAIRS = 3;
    /** Stands for a field an evaluation left out. */
    private static final String UNNAMED = "(unnamed)";

    /** One evaluation: its figures and the pairs it brought. */
    private record Evaluated(WinRatePoint point, List<JudgedPair> pairs) {
    }

    /** By version, then by set, decoding and opponent; a repeated evaluation replaces one. */
    private final TreeMap<Long, Map<String, Evaluated>> byVersion = new TreeMap<>();
    private long records;

    /** Keeps {@code result}, a win-rate evaluation, and returns its figures. */
    WinRatePoint add(EvalResult result) {
        WinRatePoint point = point(result);
        List<JudgedPair> pairs = result.getPairs().stream().map(pair -> JudgedPair.of(
                point.set(), point.decoding(), pair)).toList();
        byVersion.computeIfAbsent(point.policyVersion(), v -> new TreeMap<>()).put(
                point.set() + " " + point.decoding() + " " + point.against(),
                new Evaluated(point, pairs));
        records++;
        return point;
    }

    /** Win-rate records seen. */
    long records() {
        return records;
    }

    /** Checkpoint versions evaluated. */
    int checkpoints() {
        return byVersion.size();
    }

    /**
     * The last evaluated checkpoint: of the versions evaluated on the most sets, decodings and
     * opponents, the newest (a checkpoint still being evaluated when the run ended has fewer);
     * its win rates by set, decoding and opponent, and up to {@link #PAIRS} pairs against the
     * base model taken in turn from its sets and decodings.
     */
    Optional<CheckpointEvaluation> last() {
        return byVersion.entrySet().stream()
                .max(Comparator.comparingInt((Map.Entry<Long, Map<String, Evaluated>> e) ->
                        e.getValue().size()).thenComparing(Map.Entry::getKey))
                .map(e -> new CheckpointEvaluation(e.getKey(), e.getValue().values().stream()
                        .map(Evaluated::point).toList(), pairs(e.getValue().values())));
    }

    private static List<JudgedPair> pairs(Iterable<Evaluated> evaluations) {
        List<List<JudgedPair>> againstBase = new ArrayList<>();
        evaluations.forEach(e -> {
            if (e.point().againstBase() && !e.pairs().isEmpty()) {
                againstBase.add(e.pairs());
            }
        });
        List<JudgedPair> chosen = new ArrayList<>();
        for (int i = 0; chosen.size() < PAIRS; i++) {
            int before = chosen.size();
            for (List<JudgedPair> pairs : againstBase) {
                if (i < pairs.size() && chosen.size() < PAIRS) {
                    chosen.add(pairs.get(i));
                }
            }
            if (chosen.size() == before) {
                break; // every evaluation's pairs taken
            }
        }
        return chosen;
    }

    /** The figures of a win-rate evaluation; a figure it left out is NaN (a count, 0). */
    static WinRatePoint point(EvalResult result) {
        Map<String, Double> m = result.getMetrics();
        Double n = m.get("n");
        return new WinRatePoint(result.getPolicyVersion(), named(result.getEvalSet()),
                named(result.getDecoding()), named(result.getAgainst()),
                m.getOrDefault("win_rate", Double.NaN), m.getOrDefault("ci_low", Double.NaN),
                m.getOrDefault("ci_high", Double.NaN),
                n != null ? Math.round(n) : result.getSampleCount(), count(m, "wins"),
                count(m, "ties"), count(m, "losses"));
    }

    private static String named(String value) {
        return value == null ? UNNAMED : value;
    }

    private static long count(Map<String, Double> metrics, String name) {
        Double value = metrics.get(name);
        return value == null || !Double.isFinite(value) ? 0 : Math.round(value);
    }
}
