package ai.collectiveagency.demo.report;

import ai.collectiveagency.demo.samples.SampleLine;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The report's sample negotiations as HTML, from {@code samples.jsonl}: a sentence on what
 * changed between the first policy version and the last (mean reward, distinct resolutions,
 * agreement), then the first version's groups beside the last one's, each side headed by its
 * version's figures, each card with the scenario, the personas (role, values, goals), the
 * dialogue (speaker and text), the resolution and its reward. Every text from the generator or
 * the model is escaped.
 */
final class NegotiationCards {

    private NegotiationCards() {
    }

    static String html(RunSamples samples) {
        if (samples.first().isEmpty()) {
            return "<p class=\"meta\">No scored groups in samples.jsonl.</p>\n";
        }
        // A single answer never "agrees": agreement is a negotiation's figure only.
        boolean negotiation = samples.first().get(0).negotiation();
        StringBuilder out = new StringBuilder();
        if (samples.firstFigures().isPresent() && samples.lastFigures().isPresent()) {
            out.append(change(samples.firstFigures().get(), samples.lastFigures().get(),
                    negotiation));
        }
        if (samples.skippedLines() > 0) {
            out.append("<p class=\"meta\">").append(samples.skippedLines()).append(" torn line(s) "
                    + "of samples.jsonl skipped (a run killed while writing).</p>\n");
        }
        return out.append("<div class=\"sides\">\n")
                .append(side("first-version", "First policy version: v"
                        + samples.first().get(0).policyVersion(), samples.firstFigures(),
                        negotiation, samples.first()))
                .append(side("last-version", "Last policy version: v"
                        + samples.last().get(0).policyVersion(), samples.lastFigures(),
                        negotiation, samples.last()))
                .append("</div>\n").toString();
    }

    /** What changed from the first version to the last, in words. */
    private static String change(VersionFigures first, VersionFigures last,
            boolean negotiation) {
        return "<p class=\"change\" id=\"samples-change\">From v" + first.version() + " to v"
                + last.version() + ": mean reward " + number(first.rewardMean()) + " → "
                + number(last.rewardMean()) + "; distinct resolutions "
                + percent(first.distinctShare()) + " → " + percent(last.distinctShare())
                + " of each version's resolutions"
                + (negotiation ? "; agreement " + percent(agreement(first)) + " → "
                        + percent(agreement(last)) + " of its trajectories" : "") + ".</p>\n";
    }

    private static String side(String id, String heading, Optional<VersionFigures> figures,
            boolean negotiation, List<SampleNegotiation> samples) {
        StringBuilder out = new StringBuilder();
        out.append("<section class=\"side\" id=\"").append(id).append("\">\n<h3>")
                .append(Html.text(heading)).append("</h3>\n");
        figures.ifPresent(f -> out.append(figures(f, negotiation)));
        samples.forEach(sample -> out.append(card(sample)));
        return out.append("</section>\n").toString();
    }

    /** A version's figures over all its samples. */
    private static String figures(VersionFigures f, boolean negotiation) {
        return "<p class=\"meta figures\">All of v" + f.version() + "'s samples: " + f.groups()
                + " groups, " + f.trajectories() + " trajectories · mean reward <b>"
                + number(f.rewardMean()) + "</b> · distinct resolutions <b>"
                + percent(f.distinctShare()) + "</b> (" + f.distinctResolutions() + " of "
                + f.resolutions() + ")"
                + (negotiation ? " · agreement " + percent(agreement(f)) : "") + "</p>\n";
    }

    private static String card(SampleNegotiation s) {
        StringBuilder out = new StringBuilder("<article class=\"negotiation\">\n");
        out.append("<h4>").append(Html.text(s.title())).append("</h4>\n");
        out.append("<p class=\"meta\">v").append(s.policyVersion()).append(" · group ")
                .append(Html.text(s.groupId())).append(s.heldOut() ? " · held-out" : "")
                .append(" · ").append(Html.text(s.valueConflict())).append("</p>\n");
        out.append("<p>").append(Html.text(s.scenario())).append("</p>\n");
        if (s.negotiation()) {
            out.append("<p class=\"meta personas\">A: ").append(persona(s.personaA()))
                    .append("<br>B: ").append(persona(s.personaB()))
                    .append("</p>\n<ol class=\"dialogue\">\n");
            for (SampleLine.Turn line : s.dialogue()) {
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

    /** "Ana (farmer) · values: fairness, thrift · goals: agree". */
    private static String persona(SampleLine.Persona p) {
        if (p == null) {
            return "–";
        }
        StringBuilder out = new StringBuilder("<b>").append(Html.text(p.name())).append("</b> (")
                .append(Html.text(p.role())).append(")");
        if (!p.values().isEmpty()) {
            out.append(" · values: ").append(Html.text(String.join(", ", p.values())));
        }
        if (!p.goals().isEmpty()) {
            out.append(" · goals: ").append(Html.text(String.join(", ", p.goals())));
        }
        return out.toString();
    }

    private static double agreement(VersionFigures f) {
        return f.trajectories() == 0 ? Double.NaN : f.agreed() / (double) f.trajectories();
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

    static String percent(double share) {
        return Double.isFinite(share) ? String.format(Locale.ROOT, "%.0f%%", 100 * share) : "–";
    }
}
