package ai.collectiveagency.demo.report;

import ai.collectiveagency.demo.dashboard.WinRatePoint;
import java.util.List;

/**
 * What the report shows of one checkpoint's win-rate evaluations.
 *
 * @param policyVersion the checkpoint's version
 * @param winRates its win rates, by set, decoding and opponent
 * @param pairs a few judged pairs against the base model, from different sets and decodings
 *     where there are several
 */
public record CheckpointEvaluation(long policyVersion, List<WinRatePoint> winRates,
        List<JudgedPair> pairs) {

    public CheckpointEvaluation {
        winRates = List.copyOf(winRates);
        pairs = List.copyOf(pairs);
    }
}
