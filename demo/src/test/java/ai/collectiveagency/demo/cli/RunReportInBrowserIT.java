package ai.collectiveagency.demo.cli;

import static ai.collectiveagency.demo.PipelineEvents.pair;
import static ai.collectiveagency.demo.PipelineEvents.step;
import static ai.collectiveagency.demo.PipelineEvents.winRate;
import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.demo.cli.DashboardDom.Chart;
import ai.collectiveagency.demo.dashboard.RunSeries;
import ai.collectiveagency.demo.report.MetricsLog;
import ai.collectiveagency.demo.report.RunRecord;
import ai.collectiveagency.demo.report.RunReport;
import ai.collectiveagency.demo.report.RunSamples;
import ai.collectiveagency.demo.samples.SampleLog;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The run report's charts as a browser draws them (headless Chromium, the page's own scripts):
 * the win-rate chart with its intervals and the charts of the papers' step figures plot the
 * run's points. A failsafe test: it starts a browser, but no service.
 */
class RunReportInBrowserIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path WORK = Path.of("target/report-it").toAbsolutePath();

    @Test
    void theWinRateAndStepFigureChartsPlotTheRunsPoints() throws Exception {
        Instant start = Instant.parse("2026-01-02T03:00:00Z");
        Path report;
        try (RunRecord record = new RunRecord(new RunSeries(), SampleLog.open(WORK),
                MetricsLog.create(WORK.resolve(MetricsLog.FILE)), start)) {
            for (int i = 1; i <= 6; i++) {
                record.step(step(i, 0.1 * i, 0.6 - 0.1 * i, 0.3, 4 - 0.4 * i, -0.2 + 0.05 * i));
            }
            for (long version : new long[] {1, 3, 5}) {
                record.evaluation(winRate(version, "negotiation-v1", "greedy", "base",
                        (int) version + 4, 4, 8 - (int) version,
                        pair("t-" + version, "We share the well.", "I keep the well.",
                                "policy", "tie", "tie")));
                record.evaluation(winRate(version, "open-ended-v1", "sampled", "base", 6, 4, 6));
            }
            report = RunReport.write(WORK, record.summary("browser", start.plusSeconds(60)),
                    record.series().json(), RunSamples.read(WORK));
        }
        HeadlessChromium chromium = HeadlessChromium.installed(ROOT, WORK.resolve("chromium"),
                Duration.ofSeconds(2));

        DashboardDom page = DashboardDom.parse(chromium.dumpDom(report.toUri().toString()));
        chromium.screenshot(report.toUri().toString(), WORK.resolve("report.png"), 1400, 1800);

        // Two series of three versions, each a line and its interval's two ends.
        assertThat(page.plotting("win_rate")).containsExactly(new Chart("win_rate", 18));
        assertThat(page.plotting("zero_advantage"))
                .containsExactly(new Chart("zero_advantage", 12));
        assertThat(page.plotting("rounds")).containsExactly(new Chart("rounds", 6));
        // Reward and group minimum per step; no held-out evaluation.
        assertThat(page.plotting("reward")).containsExactly(new Chart("reward", 12));
    }
}
