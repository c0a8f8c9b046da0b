package ai.collectiveagency.demo.report;

import static ai.collectiveagency.demo.PipelineEvents.checkpoint;
import static ai.collectiveagency.demo.PipelineEvents.evaluation;
import static ai.collectiveagency.demo.PipelineEvents.heldOut;
import static ai.collectiveagency.demo.PipelineEvents.negotiation;
import static ai.collectiveagency.demo.PipelineEvents.pair;
import static ai.collectiveagency.demo.PipelineEvents.step;
import static ai.collectiveagency.demo.PipelineEvents.winRate;
import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.demo.dashboard.ProgressWindow;
import ai.collectiveagency.demo.dashboard.RunSeries;
import ai.collectiveagency.demo.samples.SampleFiles;
import ai.collectiveagency.demo.samples.SampleLog;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report and metrics.jsonl of a run fed with step metrics (the papers' figures among them),
 * held-out evaluations, win-rate evaluations of two checkpoints, scored groups of a first and a
 * last policy version, a checkpoint and progress windows.
 */
class RunReportTest {

    private static final Instant START = Instant.parse("2026-01-02T03:00:00Z");
    private static final String HOSTILE = "</p><script>alert(\"pwned\")</script>";

    @TempDir
    Path folder;

    private String html;
    private RunSummary summary;
    private String seriesJson;

    @BeforeEach
    void runAndReport() throws Exception {
        try (RunRecord record = new RunRecord(new RunSeries(), SampleLog.open(folder),
                MetricsLog.create(folder.resolve(MetricsLog.FILE)), START)) {
            double[] rewards = {0.1, 0.2, 0.3, 0.5, 0.6, 0.7};
            for (int i = 0; i < rewards.length; i++) {
                record.step(step(i + 1, rewards[i], 0.5 - 0.0625 * i, 0.25, 4 - 0.5 * i,
                        -0.25 + 0.0625 * i));
            }
            record.evaluation(heldOut(2, 1, 8, 0.3));
            record.evaluation(heldOut(6, 3, 8, 0.6));
            record.evaluation(evaluation("judge-agreement", 6, 3, 4, 0.9));
            record.evaluation(winRate(1, "negotiation-v1", "greedy", "base", 4, 4, 8));
            record.evaluation(winRate(3, "negotiation-v1", "greedy", "base", 8, 4, 4,
                    pair("t-1", "Share the water " + HOSTILE, "Ana keeps it all", "policy",
                            "policy", "win"),
                    pair("t-2", "Split the orchard", "Sell the orchard", "policy", "tie",
                            "tie")));
            record.evaluation(winRate(3, "negotiation-v1", "sampled", "base", 6, 4, 6));
            record.evaluation(winRate(3, "open-ended-v1", "greedy", "base", 10, 2, 4,
                    pair("t-9", "Ask both families", "Decide alone", "against", "against",
                            "loss")));
            for (int i = 0; i < 4; i++) {
                record.scored(negotiation("first-" + i, 0, i == 0 ? HOSTILE : "plain", 0.1, 0.2));
            }
            for (int i = 0; i < 5; i++) {
                record.scored(negotiation("last-" + i, 3, "better", 0.6, 0.8));
            }
            record.checkpoint(checkpoint(3, 6, 9), 0);
            record.window(new ProgressWindow(5, Map.of("prompts", 2.0, "rollouts", 1.0,
                    "scored", 0.8, "steps", 0.4), 0, 0, Map.of("rollout-service", 3L)));
            record.window(new ProgressWindow(10, Map.of("prompts", 1.5, "rollouts", 1.0,
                    "scored", 1.0, "steps", 0.6), 3, 3, Map.of("rollout-service", 1L,
                    "reward-service", 2L, "trainer-service", 4L)));
            RunSamples samples = RunSamples.read(folder);
            record.samplesRead(samples);
            summary = record.summary("unit", START.plusSeconds(125));
            seriesJson = record.series().json();
            Path report = RunReport.write(folder, summary, seriesJson, samples);
            assertThat(report).isEqualTo(folder.resolve(RunReport.FILE));
            html = Files.readString(report);
        }
    }

    @Test
    void theEmbeddedSeriesCarryEveryChartsData() throws Exception {
        String open = "<script id=\"series\" type=\"application/json\">";
        int from = html.indexOf(open) + open.length();
        JsonNode series = new ObjectMapper().readTree(html.substring(from,
                html.indexOf("</script>", from)));

        assertThat(series.at("/steps/reward_mean")).hasSize(6);
        assertThat(series.at("/steps/kl/5").asDouble()).isEqualTo(0.06);
        assertThat(series.at("/heldout/trainer_step").toString()).isEqualTo("[2.0,6.0]");
        assertThat(series.at("/heldout/reward_mean/1").asDouble()).isEqualTo(0.6);
        assertThat(series.at("/windows/prompts_per_second/1").asDouble()).isEqualTo(1.5);
        assertThat(series.at("/windows/steps_per_second/0").asDouble()).isEqualTo(0.4);
        assertThat(series.at("/windows/fleet_version/1").asDouble()).isEqualTo(3);
        assertThat(series.at("/lag/trainer-service").toString()).isEqualTo("[null,4.0]");
        assertThat(series.at("/lag/rollout-service").toString()).isEqualTo("[3.0,1.0]");
        assertThat(series.at("/winrate/policy_version").toString()).isEqualTo("[1.0,3.0]");
        assertThat(series.at("/winrate/negotiation-v1 greedy").toString())
                .isEqualTo("[0.375,0.625]");
        assertThat(series.at("/steps/rounds_mean/5").asDouble()).isEqualTo(1.5);
    }

    @Test
    void theSummaryHasThePapersStepFiguresAtStartAndEnd() {
        // Six steps: the first three and the last three averaged.
        assertThat(html).contains("<tr><th>Zero-advantage share (groups with no gradient) at "
                        + "start → end</th><td>0.4375 → 0.2500")
                .contains("<tr><th>No-agreement rate at start → end</th><td>0.2500 → 0.2500")
                .contains("<tr><th>Rounds per negotiation at start → end</th><td>3.5000 → "
                        + "2.0000")
                .contains("<tr><th>Group-minimum reward at start → end</th><td>-0.1875 → "
                        + "0.0000")
                .contains("<tr><th>Win-rate evaluations</th><td>4 over 2 checkpoints (the last "
                        + "evaluated: v3)</td></tr>");
    }

    @Test
    void theLastEvaluatedCheckpointsWinRatesAreATableRowPerSetDecodingAndOpponent() {
        String table = html.substring(html.indexOf("<table class=\"win-rates\""),
                html.indexOf("</table>", html.indexOf("<table class=\"win-rates\"")));

        assertThat(html).contains("<p class=\"meta\">Checkpoint v3: a win counts only");
        assertThat(table.split("<tr><td>")).hasSize(4);
        assertThat(table).contains("<tr><td>negotiation-v1</td><td>greedy</td><td>base</td>"
                        + "<td>0.6250</td><td>0.5250 – 0.7250</td><td>16</td><td>8 / 4 / 4</td>"
                        + "</tr>")
                .contains("<tr><td>negotiation-v1</td><td>sampled</td><td>base</td>"
                        + "<td>0.5000</td>")
                .contains("<tr><td>open-ended-v1</td><td>greedy</td><td>base</td><td>0.6875</td>")
                .doesNotContain("0.3750"); // v1's
    }

    @Test
    void threeJudgedPairsShowTheBaseBesideTheCheckpointWithBothVerdicts() {
        String[] pairs = html.split("<article class=\"pair\">");

        assertThat(pairs).hasSize(4);
        assertThat(pairs[1]).contains("<h4>The orchard t-1</h4>")
                .contains("task t-1 · negotiation-v1 · greedy · for v3: <b>win</b>")
                .contains("<h5>Base model (v0)</h5>\n<p class=\"text\">Ana keeps it all</p>")
                .contains("<h5>v3</h5>\n<p class=\"text\">Share the water &lt;/p&gt;")
                .contains("v3's text shown first: <b>v3 preferred</b> · the base model's "
                        + "shown first: <b>v3 preferred</b>");
        // Taken in turn from each set: negotiation, open-ended, negotiation again.
        assertThat(pairs[2]).contains("task t-9 · open-ended-v1")
                .contains("shown first: <b>base model preferred</b> · the base model's shown "
                        + "first: <b>base model preferred</b>");
        assertThat(pairs[3]).contains("task t-2").contains("<b>v3 preferred</b> · the base "
                + "model's shown first: <b>tie</b>");
    }

    @Test
    void theSummaryHasStepsCheckpointsGroupsRewardAndHeldOutAtStartAndEndAndTheDuration() {
        assertThat(html).contains("<tr><th>Trainer steps</th><td>6</td></tr>")
                .contains("<tr><th>Checkpoints</th><td>1 (newest v3)</td></tr>")
                .contains("<tr><th>Groups scored</th><td>9 (0 held-out)</td></tr>")
                .contains("<tr><th>Duration</th><td>0:02:05</td></tr>")
                // Mean of the first three steps (0.1, 0.2, 0.3) and of the last three.
                .contains("0.2000 → 0.6000")
                .contains("<tr><th>Held-out reward at start → end</th><td>0.3000 → 0.6000");
    }

    @Test
    void theFirstVersionsEarliestGroupsStandBesideTheLastVersionsNewest() {
        String first = section("first-version");
        String last = section("last-version");

        assertThat(first).contains("First policy version: v0").contains("group first-0")
                .contains("group first-2").doesNotContain("group first-3")
                .contains("<b>Ana:</b> Ana opens: plain")
                .contains("<b>Resolution:</b> Resolved: plain");
        assertThat(last).contains("Last policy version: v3").contains("group last-2")
                .contains("group last-4").doesNotContain("group last-1")
                .contains("<b>Ben:</b> Ben answers: better").contains("reward <b>0.8000</b>");
    }

    @Test
    void eachSideSaysInWordsWhatItsVersionsSamplesCameTo() {
        assertThat(html).contains("<p class=\"change\" id=\"samples-change\">From v0 to v3: "
                + "mean reward 0.1500 → 0.7000; distinct resolutions 50% → 20% of each "
                + "version's resolutions; agreement 50% → 50% of its trajectories.</p>");
        assertThat(section("first-version")).contains("All of v0's samples: 4 groups, 8 "
                + "trajectories · mean reward <b>0.1500</b> · distinct resolutions <b>50%</b> "
                + "(2 of 4) · agreement 50%");
        assertThat(section("last-version")).contains("A: <b>Ana</b> (farmer) · values: "
                + "fairness · goals: agree<br>B: <b>Ben</b> (ecologist)");
    }

    @Test
    void theCardsAreReadFromSamplesJsonlAloneSoAReportWrittenAgainShowsTheSame(
            @TempDir Path elsewhere) throws Exception {
        Files.copy(folder.resolve(SampleFiles.FILE), elsewhere.resolve(SampleFiles.FILE));

        String again = RunReport.html(summary, seriesJson, RunSamples.read(elsewhere));

        assertThat(cards(again)).isEqualTo(cards(html)).contains("group last-4");
    }

    @Test
    void theSummaryHasTheHeldOutFiguresOfSamplesJsonl(@TempDir Path heldOutRun) {
        try (SampleLog log = SampleLog.open(heldOutRun)) {
            for (int i = 0; i < 40; i++) {
                double reward = i < 20 ? 0.1 + 0.01 * (i % 2) : 0.5 + 0.01 * (i % 2);
                String text = i < 20 ? "plan " + i : i % 2 == 0 ? "same" : "other";
                log.append(negotiation("held-" + i, i, true, text, reward, reward));
            }
        }

        String page = RunReport.html(summary, seriesJson, RunSamples.read(heldOutRun));

        assertThat(page).contains("<tr><th>Held-out reward, first → last 20 held-out groups"
                        + "</th><td>0.1050 [0.1026, 0.1074] → 0.5050 [0.5026, 0.5074]")
                .contains("first and the last 20 of 40 held-out groups")
                .contains("the last is above the first, the intervals apart")
                .contains("<tr><th>Distinct share of the last 50 held-out resolutions</th>"
                        + "<td>55% <span class=\"meta\">(22 different strings among the last "
                        + "40 held-out resolutions");
    }

    @Test
    void modelTextIsEscapedSoAScriptInItNeverRuns() {
        assertThat(html).doesNotContain("<script>alert")
                .contains("&lt;/p&gt;&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;");
    }

    @Test
    void theReportIsSelfContainedWithUplotAndTheChartsInlined() {
        assertThat(html).doesNotContain("<script src=").doesNotContain("<link ")
                .contains(".uplot").contains("function drawCharts(data)")
                .contains("makeCharts(document.getElementById(\"charts\"))");
    }

    @Test
    void metricsJsonlHasOneParsableLinePerStepEvaluationCheckpointAndWindow() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(folder.resolve(MetricsLog.FILE))) {
            lines.add(mapper.readTree(line));
        }

        assertThat(lines).extracting(l -> l.get("type").asText()).containsExactly(
                "step", "step", "step", "step", "step", "step",
                "evaluation", "evaluation", "evaluation", "evaluation", "evaluation",
                "evaluation", "evaluation", "checkpoint", "window", "window", "samples");
        assertThat(lines.get(0).at("/metrics/zero_advantage_share").asDouble()).isEqualTo(0.5);
        assertThat(lines.get(6).get("evaluation").asText()).isEqualTo("held-out");
        assertThat(lines.get(6).at("/metrics/trainer_step").asDouble()).isEqualTo(2);
        assertThat(lines.get(6).get("sample_count").asInt()).isEqualTo(8);
        assertThat(lines.get(15).at("/per_second/prompts").asDouble()).isEqualTo(1.5);
        assertThat(lines.get(15).at("/lag/trainer-service").asLong()).isEqualTo(4);
    }

    @Test
    void theSamplesLineGivesTheFiguresReadFromSamplesJsonl() throws Exception {
        List<String> file = Files.readAllLines(folder.resolve(MetricsLog.FILE));
        JsonNode line = new ObjectMapper().readTree(file.get(file.size() - 1));

        assertThat(line.get("type").asText()).isEqualTo("samples");
        assertThat(line.get("held_out_groups").asInt()).isZero();
        assertThat(line.get("held_out_first20_groups").asInt()).isZero();
        assertThat(line.get("held_out_first20_reward_mean").isNull()).isTrue();
        assertThat(line.get("last50_held_out_resolutions").asInt()).isZero();
        assertThat(line.get("first_version").asLong()).isZero();
        // v0: four groups, one resolution each, two different texts; v3: one text five times.
        assertThat(line.get("first_version_distinct_share").asDouble()).isEqualTo(0.5);
        assertThat(line.get("last_version").asLong()).isEqualTo(3);
        assertThat(line.get("last_version_distinct_share").asDouble()).isEqualTo(0.2);
        assertThat(line.get("last_version_reward_mean").asDouble()).isEqualTo(0.7);
        assertThat(line.get("skipped_lines").asLong()).isZero();
    }

    @Test
    void aWinRateLineHasItsFiguresAtTheTopLevelBesideItsMetricsAndPairs() throws Exception {
        List<String> file = Files.readAllLines(folder.resolve(MetricsLog.FILE));
        JsonNode line = new ObjectMapper().readTree(file.get(12));

        assertThat(line.fieldNames()).toIterable().containsExactly("type", "evaluation",
                "policy_version", "against", "set", "decoding", "win_rate", "ci_low", "ci_high",
                "n", "wins", "ties", "losses", "recorded_at", "metrics", "pairs");
        assertThat(file.get(12)).startsWith("{\"type\":\"evaluation\",\"evaluation\":\"win-rate\","
                + "\"policy_version\":3,\"against\":\"base\",\"set\":\"open-ended-v1\","
                + "\"decoding\":\"greedy\",\"win_rate\":0.6875,");
        assertThat(line.get("n").isIntegralNumber()).isTrue();
        assertThat(line.get("n").asInt()).isEqualTo(16);
        assertThat(line.get("wins").asInt()).isEqualTo(10);
        assertThat(line.get("ties").asInt()).isEqualTo(2);
        assertThat(line.get("losses").asInt()).isEqualTo(4);
        assertThat(line.get("ci_low").asDouble()).isLessThanOrEqualTo(0.6875);
        assertThat(line.get("ci_high").asDouble()).isGreaterThanOrEqualTo(0.6875);
        assertThat(line.at("/metrics/policy_ca_mean").asDouble()).isEqualTo(0.4);
        assertThat(line.at("/pairs/0/task_id").asText()).isEqualTo("t-9");
        assertThat(line.at("/pairs/0/against_first").asText()).isEqualTo("against");
        assertThat(line.at("/pairs/0/outcome").asText()).isEqualTo("loss");
    }

    private static String cards(String page) {
        return page.substring(page.indexOf("<h2>Sample negotiations"),
                page.indexOf("<script id=\"series\""));
    }

    private String section(String id) {
        int from = html.indexOf("<section class=\"side\" id=\"" + id + "\">");
        assertThat(from).as("section " + id).isNotNegative();
        return html.substring(from, html.indexOf("</section>", from));
    }
}
