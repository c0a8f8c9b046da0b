package ai.collectiveagency.schemas;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * An {@link EvalResult} as one flat JSON object, the form {@code metrics.jsonl} and
 * {@code ./pipeline evaluate --json} print: {@code type}, {@code evaluation},
 * {@code policy_version}; for win-rate results {@code against}, {@code set}, {@code decoding}
 * and the headline figures at the top level ({@code win_rate}, {@code ci_low}, {@code ci_high},
 * {@code n}, {@code wins}, {@code ties}, {@code losses}), for others {@code sample_count}; then
 * {@code recorded_at}, every metric under {@code metrics} and the compared {@code pairs}.
 * Non-finite numbers are null.
 */
public final class EvalResultJson {

    /** The evaluation name of pairwise win rates. */
    public static final String WIN_RATE = "win-rate";
    private static final List<String> HEADLINE = List.of("win_rate", "ci_low", "ci_high");
    private static final List<String> COUNTS = List.of("n", "wins", "ties", "losses");
    private static final ObjectMapper JSON = new ObjectMapper();

    private EvalResultJson() {
    }

    /** The result as metrics.jsonl writes it. */
    public static ObjectNode of(EvalResult result) {
        ObjectNode line = JSON.createObjectNode().put("type", "evaluation")
                .put("evaluation", result.getEvaluation())
                .put("policy_version", result.getPolicyVersion());
        Map<String, Double> metrics = result.getMetrics();
        if (WIN_RATE.equals(result.getEvaluation())) {
            line.put("against", result.getAgainst()).put("set", result.getEvalSet())
                    .put("decoding", result.getDecoding());
            HEADLINE.forEach(name -> number(line, name, metrics.get(name)));
            for (String name : COUNTS) { // n is the sample count
                Double count = metrics.get(name);
                if (count == null) {
                    line.putNull(name);
                } else {
                    line.put(name, count.longValue());
                }
            }
        } else {
            line.put("sample_count", result.getSampleCount());
        }
        line.put("recorded_at", result.getRecordedAt().toString());
        ObjectNode all = line.putObject("metrics");
        metrics.forEach((name, value) -> number(all, name, value));
        if (!result.getPairs().isEmpty()) {
            ArrayNode pairs = line.putArray("pairs");
            for (ComparedPair pair : result.getPairs()) {
                pairs.addObject().put("task_id", pair.getTaskId()).put("title", pair.getTitle())
                        .put("policy_text", pair.getPolicyText())
                        .put("against_text", pair.getAgainstText())
                        .put("policy_first", pair.getPolicyFirst())
                        .put("against_first", pair.getAgainstFirst())
                        .put("outcome", pair.getOutcome());
            }
        }
        return line;
    }

    /** {@link #of} as one line of text. */
    public static String line(EvalResult result) {
        return of(result).toString();
    }

    private static void number(ObjectNode node, String name, Double value) {
        if (value != null && Double.isFinite(value)) {
            node.put(name, value);
        } else {
            node.putNull(name);
        }
    }
}
