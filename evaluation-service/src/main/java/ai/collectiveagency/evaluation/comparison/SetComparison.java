package ai.collectiveagency.evaluation.comparison;

import ai.collectiveagency.evaluation.protocol.Decoding;
import ai.collectiveagency.evaluation.protocol.PlayedTask;
import ai.collectiveagency.schemas.ComparedPair;
import ai.collectiveagency.schemas.EvalResult;
import ai.collectiveagency.schemas.EvalResultJson;
import ai.collectiveagency.schemas.TaskMode;
import ai.collectiveagency.scoring.pairwise.PairwiseComparison;
import ai.collectiveagency.scoring.pairwise.PairwiseOutcome;
import ai.collectiveagency.scoring.pairwise.Preferred;
import ai.collectiveagency.scoring.pairwise.WinRate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One policy against one opponent on one set under one decoding: the judged pairs, the win rate
 * with its 95% interval, both policies' pointwise figures, and a few pairs side by side; as the
 * {@code EvalResult} ({@code evaluation} {@value #EVALUATION}) the metrics topic carries.
 *
 * @param policyVersion the evaluated checkpoint's version
 * @param against {@code base}, or {@code <run>/v<M>}
 * @param setId e.g. {@code negotiation-v1}
 * @param mode the set's mode: agreement figures only for negotiation sets
 */
public record SetComparison(long policyVersion, String against, String setId, TaskMode mode,
        Decoding decoding, List<PlayedTask> policy, List<PlayedTask> opponent,
        List<PairwiseComparison> comparisons, PointwiseFigures policyFigures,
        PointwiseFigures againstFigures) {

    /** The {@code evaluation} name of win-rate results. */
    public static final String EVALUATION = EvalResultJson.WIN_RATE;
    /** Pairs a result carries for reports. */
    static final int PAIRS = 3;

    public SetComparison {
        policy = List.copyOf(policy);
        opponent = List.copyOf(opponent);
        comparisons = List.copyOf(comparisons);
        if (policy.size() != opponent.size() || policy.size() != comparisons.size()) {
            throw new IllegalArgumentException("policy " + policy.size() + ", opponent "
                    + opponent.size() + " and " + comparisons.size() + " comparisons differ");
        }
    }

    public WinRate winRate() {
        WinRate rate = new WinRate();
        comparisons.forEach(c -> rate.add(c.outcome()));
        return rate;
    }

    /** As the metrics topic carries it, recorded at {@code at}. */
    public EvalResult toResult(Instant at) {
        WinRate rate = winRate();
        WinRate.Interval interval = rate.interval();
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("win_rate", rate.rate());
        metrics.put("ci_low", interval.low());
        metrics.put("ci_high", interval.high());
        metrics.put("n", (double) rate.n());
        metrics.put("wins", (double) rate.wins());
        metrics.put("ties", (double) rate.ties());
        metrics.put("losses", (double) rate.losses());
        metrics.put("failed", (double) rate.failed());
        figures(metrics, "policy_", policyFigures);
        figures(metrics, "against_", againstFigures);
        metrics.values().removeIf(value -> !Double.isFinite(value)); // Avro maps carry numbers
        return EvalResult.newBuilder()
                .setPolicyVersion(policyVersion)
                .setEvaluation(EVALUATION)
                .setRecordedAt(at.truncatedTo(ChronoUnit.MILLIS))
                .setSampleCount(rate.n())
                .setMetrics(metrics)
                .setAgainst(against)
                .setEvalSet(setId)
                .setDecoding(decoding.label())
                .setPairs(samplePairs())
                .build();
    }

    private void figures(Map<String, Double> metrics, String prefix, PointwiseFigures figures) {
        metrics.put(prefix + "ca_mean", figures.caMean());
        metrics.put(prefix + "group_min", figures.groupMin());
        if (mode == TaskMode.NEGOTIATION) {
            metrics.put(prefix + "agreement_rate", figures.agreementRate());
            metrics.put(prefix + "rounds_to_agreement", figures.roundsToAgreement());
        }
    }

    /** A win, a loss and a tie where the set has them (the first of each), then the first tasks. */
    private List<ComparedPair> samplePairs() {
        List<Integer> chosen = new ArrayList<>();
        for (PairwiseOutcome wanted : List.of(PairwiseOutcome.WIN, PairwiseOutcome.LOSS,
                PairwiseOutcome.TIE)) {
            for (int i = 0; i < comparisons.size(); i++) {
                if (comparisons.get(i).outcome() == wanted) {
                    chosen.add(i);
                    break;
                }
            }
        }
        for (int i = 0; i < comparisons.size() && chosen.size() < PAIRS; i++) {
            if (!chosen.contains(i)) {
                chosen.add(i);
            }
        }
        return chosen.stream().sorted().limit(PAIRS).map(this::pair).toList();
    }

    private ComparedPair pair(int i) {
        PairwiseComparison comparison = comparisons.get(i);
        return ComparedPair.newBuilder()
                .setTaskId(policy.get(i).task().getTaskId())
                .setTitle(policy.get(i).task().getScenario().getTitle())
                .setPolicyText(policy.get(i).text())
                .setAgainstText(opponent.get(i).text())
                .setPolicyFirst(verdict(comparison.candidateFirst()))
                .setAgainstFirst(verdict(comparison.baselineFirst()))
                .setOutcome(comparison.outcome().name().toLowerCase(Locale.ROOT))
                .build();
    }

    private static String verdict(Preferred preferred) {
        if (preferred == null) {
            return "failed";
        }
        return switch (preferred) {
            case CANDIDATE -> "policy";
            case BASELINE -> "against";
            case TIE -> "tie";
        };
    }
}
