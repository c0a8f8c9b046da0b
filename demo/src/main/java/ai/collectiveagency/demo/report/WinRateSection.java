package ai.collectiveagency.demo.report;

import ai.collectiveagency.demo.dashboard.WinRatePoint;
import java.util.Comparator;
import java.util.Optional;

/**
 * The report's evaluation section as HTML: the last evaluated checkpoint's win rates (set,
 * decoding, opponent, win rate, 95% interval, comparisons, wins / ties / losses) and a few judged
 * pairs, the base model's text beside the checkpoint's with the judge's verdict in each order.
 * Every text from a model or a task is escaped.
 */
final class WinRateSection {

    private WinRateSection() {
    }

    /** The win-rate table, or a line saying there is none. */
    static String table(Optional<CheckpointEvaluation> last) {
        if (last.isEmpty()) {
            return "<p class=\"meta\">No win-rate evaluation in this run.</p>\n";
        }
        CheckpointEvaluation evaluation = last.get();
        StringBuilder out = new StringBuilder("<p class=\"meta\">Checkpoint v")
                .append(evaluation.policyVersion()).append(": a win counts only when the judge "
                        + "preferred it in both orders, a loss only when it preferred the "
                        + "opponent in both; win rate = (wins + ties / 2) / n.</p>\n")
                .append("<table class=\"win-rates\" id=\"win-rates\">\n<tr><th>Set</th>"
                        + "<th>Decoding</th><th>Against</th><th>Win rate</th>"
                        + "<th>95% interval</th><th>n</th><th>Wins / ties / losses</th></tr>\n");
        evaluation.winRates().stream().sorted(Comparator.comparing(WinRatePoint::set)
                .thenComparing(WinRatePoint::decoding).thenComparing(WinRatePoint::against))
                .forEach(p -> out.append("<tr><td>").append(Html.text(p.set()))
                        .append("</td><td>").append(Html.text(p.decoding()))
                        .append("</td><td>").append(Html.text(p.against()))
                        .append("</td><td>").append(NegotiationCards.number(p.winRate()))
                        .append("</td><td>").append(NegotiationCards.number(p.ciLow()))
                        .append(" – ").append(NegotiationCards.number(p.ciHigh()))
                        .append("</td><td>").append(p.n()).append("</td><td>")
                        .append(p.wins()).append(" / ").append(p.ties()).append(" / ")
                        .append(p.losses()).append("</td></tr>\n"));
        return out.append("</table>\n").toString();
    }

    /** The judged pairs, the base model's text on the left, or a line saying there are none. */
    static String pairs(Optional<CheckpointEvaluation> last) {
        if (last.isEmpty() || last.get().pairs().isEmpty()) {
            return "<p class=\"meta\">No judged pairs against the base model in this run.</p>\n";
        }
        String version = "v" + last.get().policyVersion();
        StringBuilder out = new StringBuilder();
        for (JudgedPair pair : last.get().pairs()) {
            out.append("<article class=\"pair\">\n<h4>").append(Html.text(pair.title()))
                    .append("</h4>\n<p class=\"meta\">task ").append(Html.text(pair.taskId()))
                    .append(" · ").append(Html.text(pair.set())).append(" · ")
                    .append(Html.text(pair.decoding())).append(" · for ").append(version)
                    .append(": <b>").append(Html.text(pair.outcome())).append("</b></p>\n")
                    .append("<div class=\"sides\">\n")
                    .append(text("Base model (v0)", pair.againstText()))
                    .append(text(version, pair.policyText())).append("</div>\n")
                    .append("<p class=\"verdicts\">").append(version)
                    .append("'s text shown first: <b>")
                    .append(verdict(pair.policyFirst(), version))
                    .append("</b> · the base model's shown first: <b>")
                    .append(verdict(pair.againstFirst(), version)).append("</b></p>\n")
                    .append("</article>\n");
        }
        return out.toString();
    }

    private static String text(String heading, String text) {
        return "<section class=\"pair-side\">\n<h5>" + Html.text(heading)
                + "</h5>\n<p class=\"text\">" + Html.text(text) + "</p>\n</section>\n";
    }

    /** A verdict in words: which side the judge preferred. */
    private static String verdict(String verdict, String version) {
        return switch (verdict) {
            case "policy" -> Html.text(version) + " preferred";
            case "against" -> "base model preferred";
            case "tie" -> "tie";
            default -> Html.text(verdict);
        };
    }
}
