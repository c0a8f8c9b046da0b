package ai.collectiveagency.demo.report;

import ai.collectiveagency.demo.dashboard.ChartAssets;
import ai.collectiveagency.demo.dashboard.HeldOutPoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code report.html}, the run at its end in one self-contained file: the summary table, the
 * last evaluated checkpoint's win rates against the base model and a few judged pairs side by
 * side, the dashboard's charts (uPlot's script and style and {@code charts.js} inlined, the
 * series JSON embedded) and sample negotiations of the first policy version beside the last,
 * read with the held-out figures from the run's {@code samples.jsonl}.
 *
 * <pre>{@code
 * Path report = RunReport.write(runFolder, record.summary("demo", Instant.now()),
 *         record.series().json(), RunSamples.read(runFolder));
 * }</pre>
 */
public final class RunReport {

    /** The file's name in the run folder. */
    public static final String FILE = "report.html";

    private static final String TEMPLATE = "/report/report.html";
    private static final Pattern SLOT = Pattern.compile("<!--slot:([a-z-]+)-->");
    /** How the summary names the step figures ({@link RunRecord#STEP_FIGURES}). */
    private static final Map<String, String> FIGURE_NAMES = Map.of(
            "zero_advantage_share", "Zero-advantage share (groups with no gradient)",
            "no_agreement_rate", "No-agreement rate",
            "rounds_mean", "Rounds per negotiation",
            "reward_group_min", "Group-minimum reward");

    private RunReport() {
    }

    /** Writes the report into {@code folder} (replacing one there) and returns its path. */
    public static Path write(Path folder, RunSummary summary, String seriesJson,
            RunSamples samples) {
        Path file = folder.resolve(FILE);
        Path partial = folder.resolve(FILE + ".partial");
        try {
            Files.createDirectories(folder);
            Files.writeString(partial, html(summary, seriesJson, samples),
                    StandardCharsets.UTF_8);
            // Whole or not at all: a run stopped while writing keeps the last complete report.
            return Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The report's HTML. */
    public static String html(RunSummary summary, String seriesJson, RunSamples samples) {
        Map<String, String> slots = Map.of(
                "title", Html.text("negotiation-rl run report: " + summary.run()),
                "uplot-css", Html.inline(ChartAssets.text(ChartAssets.UPLOT_CSS), "style"),
                "uplot-js", Html.inline(ChartAssets.text(ChartAssets.UPLOT_JS), "script"),
                "charts-js", Html.inline(ChartAssets.text(ChartAssets.CHARTS_JS), "script"),
                "summary", table(summary, samples.heldOut()),
                "win-rates", WinRateSection.table(summary.lastEvaluation()),
                "pairs", WinRateSection.pairs(summary.lastEvaluation()),
                "samples", NegotiationCards.html(samples),
                "series", Html.json(seriesJson));
        // One pass over the template: text put into a slot is never read for slots itself.
        Matcher slot = SLOT.matcher(ChartAssets.text(TEMPLATE));
        StringBuilder out = new StringBuilder();
        while (slot.find()) {
            String value = slots.get(slot.group(1));
            if (value == null) {
                throw new IllegalStateException("unknown slot in " + TEMPLATE + ": "
                        + slot.group(1));
            }
            slot.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        slot.appendTail(out);
        return out.toString();
    }

    private static String table(RunSummary s, HeldOutFigures samples) {
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("Run", Html.text(s.run()));
        rows.put("Started", s.started().truncatedTo(ChronoUnit.SECONDS).toString());
        rows.put("Duration", duration(s.duration()));
        rows.put("Trainer steps", String.valueOf(s.steps()));
        rows.put("Checkpoints", s.checkpoints() + " (newest v" + s.newestCheckpoint() + ")");
        rows.put("Groups scored", s.groupsScored() + " (" + s.heldOutGroups() + " held-out)");
        rows.put("Reward at start → end", startEnd(s.reward(), "mean reward"));
        for (StepFigure figure : s.stepFigures()) {
            rows.put(FIGURE_NAMES.getOrDefault(figure.metric(), figure.metric())
                    + " at start → end", startEnd(figure, Html.text(figure.metric())));
        }
        rows.put("Held-out reward at start → end", heldOut(s.heldOutStart(), s.heldOutEnd()));
        rows.put("Held-out reward, first → last " + HeldOutFigures.EDGE_GROUPS
                + " held-out groups", heldOutGroups(samples));
        rows.put("Distinct share of the last " + HeldOutFigures.LAST_RESOLUTIONS
                + " held-out resolutions", distinct(samples));
        rows.put("Win-rate evaluations", s.winRateRecords() == 0
                ? "– (none in this run)" : s.winRateRecords() + " over "
                        + s.checkpointsEvaluated() + " checkpoints"
                        + s.lastEvaluation().map(e -> " (the last evaluated: v"
                                + e.policyVersion() + ")").orElse(""));
        StringBuilder out = new StringBuilder("<table class=\"summary\">\n");
        rows.forEach((name, value) -> out.append("<tr><th>").append(name).append("</th><td>")
                .append(value).append("</td></tr>\n"));
        return out.append("</table>\n").toString();
    }

    /** The figure at start and end and over the run, or a dash when no step reported it. */
    private static String startEnd(StepFigure figure, String what) {
        if (figure.start().isEmpty()) {
            return "– (no step reported " + what + ")";
        }
        return NegotiationCards.number(figure.start().getAsDouble()) + " → "
                + NegotiationCards.number(figure.end().getAsDouble())
                + " <span class=\"meta\">(mean of the first and last " + figure.steps()
                + " steps' " + what + "; over the whole run "
                + NegotiationCards.number(figure.runMean().getAsDouble()) + ")</span>";
    }

    /** The first and last held-out groups' reward with their intervals, from samples.jsonl. */
    private static String heldOutGroups(HeldOutFigures f) {
        if (f.first20().n() < 2) {
            return "– (" + f.groups() + " scored held-out groups in samples.jsonl; "
                    + "at least 4 needed)";
        }
        return interval(f.first20()) + " → " + interval(f.last20())
                + " <span class=\"meta\">(mean reward over the first and the last "
                + f.first20().n() + " of " + f.groups() + " held-out groups in samples.jsonl, "
                + "each group's mean one value, with 95% intervals; "
                + (f.roseBeyondIntervals() ? "the last is above the first, the intervals apart"
                        : "the intervals overlap, or the last is not above the first")
                + ")</span>";
    }

    private static String interval(MeanInterval i) {
        return NegotiationCards.number(i.mean()) + " [" + NegotiationCards.number(i.ciLow())
                + ", " + NegotiationCards.number(i.ciHigh()) + "]";
    }

    private static String distinct(HeldOutFigures f) {
        if (f.last50Resolutions() == 0) {
            return "– (no held-out resolution in samples.jsonl)";
        }
        return NegotiationCards.percent(f.last50DistinctShare()) + " <span class=\"meta\">("
                + f.last50Distinct() + " different strings among the last "
                + f.last50Resolutions() + " held-out resolutions in samples.jsonl)</span>";
    }

    private static String heldOut(Optional<HeldOutPoint> start, Optional<HeldOutPoint> end) {
        if (start.isEmpty() || end.isEmpty()) {
            return "– (no held-out evaluation in this run)";
        }
        return NegotiationCards.number(start.get().rewardMean()) + " → "
                + NegotiationCards.number(end.get().rewardMean())
                + " <span class=\"meta\">(the first and the last few held-out groups: "
                + start.get().samples() + " samples up to v" + start.get().policyVersion()
                + " → " + end.get().samples() + " samples from step " + end.get().trainerStep()
                + ", up to v" + end.get().policyVersion() + ")</span>";
    }

    private static String duration(Duration d) {
        return String.format("%d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart());
    }
}
