package ai.collectiveagency.demo.report;

import java.util.List;
import java.util.Locale;

/**
 * The report's sample negotiations as HTML: the first policy version's groups beside the last
 * one's, each card with the scenario, the dialogue (speaker and text), the resolution and its
 * reward. Every text from the generator or the model is escaped.
 */
final class NegotiationCards {

    private NegotiationCards() {
    }

    static String html(List<SampleNegotiation> first, List<SampleNegotiation> last) {
        if (first.isEmpty()) {
            return "<p class=\"meta\">No scored groups in this run.</p>\n";
        }
        return "<div class=\"sides\">\n"
                + side("first-version", "First policy version: v" + first.get(0).policyVersion(),
                        first)
                + side("last-version", "Last policy version: v" + last.get(0).policyVersion(),
                        last)
                + "</div>\n";
    }

    private static String side(String id, String heading, List<SampleNegotiation> samples) {
        StringBuilder out = new StringBuilder();
        out.append("<section class=\"side\" id=\"").append(id).append("\">\n<h3>")
                .append(Html.text(heading)).append("</h3>\n");
        samples.forEach(sample -> out.append(card(sample)));
        return out.append("</section>\n").toString();
    }

    private static String card(SampleNegotiation s) {
        StringBuilder out = new StringBuilder("<article class=\"negotiation\">\n");
        out.append("<h4>").append(Html.text(s.title())).append("</h4>\n");
        out.append("<p class=\"meta\">v").append(s.policyVersion()).append(" · group ")
                .append(Html.text(s.groupId())).append(s.heldOut() ? " · held-out" : "")
                .append(" · ").append(Html.text(s.valueConflict())).append("</p>\n");
        out.append("<p>").append(Html.text(s.scenario())).append("</p>\n");
        if (s.negotiation()) {
            out.append("<p class=\"meta\">A: ").append(Html.text(s.personaA())).append(" · B: ")
                    .append(Html.text(s.personaB())).append("</p>\n<ol class=\"dialogue\">\n");
            for (SampleNegotiation.Line line : s.dialogue()) {
                out.append("<li><b>").append(Html.text(line.speaker())).append(":</b> ")
                        .append(Html.text(line.text())).append("</li>\n");
            }
            out.append("</ol>\n");
        }
        String label = s.negotiation() ? "Resolution" : "Answer";
        if (s.resolution() == null) {
            out.append("<p class=\"resolution none\"><b>").append(label).append(":</b> none (")
                    .append(s.negotiation() ? "no agreement" : "generation failed")
                    .append(")</p>\n");
        } else {
            out.append("<p class=\"resolution\"><b>").append(label).append(":</b> ")
                    .append(Html.text(s.resolution())).append("</p>\n");
        }
        out.append("<p class=\"meta reward\">reward ").append(reward(s)).append(" · group mean ")
                .append(number(s.groupMeanReward())).append(" over ").append(s.trajectories())
                .append(" trajectories</p>\n");
        return out.append("</article>\n").toString();
    }

    private static String reward(SampleNegotiation s) {
        if (s.reward() != null) {
            return "<b>" + number(s.reward()) + "</b>";
        }
        return "none (" + Html.text(String.valueOf(s.rewardNote())) + ")";
    }

    static String number(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.4f", value) : "–";
    }
}
