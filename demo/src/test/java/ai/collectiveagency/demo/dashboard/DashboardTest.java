package ai.collectiveagency.demo.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dashboard over real HTTP: the page, uPlot from its webjar, and the series as JSON. */
class DashboardTest {

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void thePageItsChartLibraryAndTheSeriesAreServed() throws Exception {
        RunSeries series = new RunSeries();
        series.step(1, Map.of("reward_mean", 0.25, "kl", 0.01, "loss", -0.1));
        series.step(2, Map.of("reward_mean", 0.5, "kl", 0.02, "loss", -0.2));
        series.window(new ProgressWindow(5, Map.of("scored", 1.5), 1, 2, Map.of()));
        try (Dashboard dashboard = Dashboard.start(series, 0)) {
            HttpResponse<String> page = get(dashboard.url());
            HttpResponse<String> script = get(dashboard.url() + "uplot.js");
            HttpResponse<String> charts = get(dashboard.url() + "charts.js");
            JsonNode data = new ObjectMapper().readTree(get(dashboard.url() + "api/series").body());

            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<script src=\"uplot.js\">")
                    .contains("<script src=\"charts.js\">").contains("api/series")
                    .contains("<body data-refreshed=\"0\">");
            assertThat(charts.statusCode()).isEqualTo(200);
            assertThat(charts.body()).contains("box.className = \"chart\"")
                    .contains("box.dataset.series").contains("box.dataset.points");
            assertThat(script.statusCode()).isEqualTo(200);
            assertThat(script.body()).contains("uPlot");
            assertThat(data.at("/steps/step")).hasSize(2);
            assertThat(data.at("/steps/reward_mean/1").asDouble()).isEqualTo(0.5);
            assertThat(data.at("/steps/clip_fraction/0").isNull()).isTrue();
            assertThat(data.at("/windows/scored_per_second/0").asDouble()).isEqualTo(1.5);
            assertThat(data.at("/windows/checkpoint/0").asDouble()).isEqualTo(2.0);
            assertThat(get(dashboard.url() + "nothing").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void theWinRateChartHasEachSeriesWithTheEndsOfItsIntervalShadedAsABand() throws Exception {
        RunSeries series = new RunSeries();
        series.winRate(new WinRatePoint(2, "negotiation-v1", "greedy", "base", 0.5, 0.25, 0.75,
                16, 4, 8, 4));
        try (Dashboard dashboard = Dashboard.start(series, 0)) {
            JsonNode data = new ObjectMapper().readTree(get(dashboard.url() + "api/series").body());
            String charts = get(dashboard.url() + "charts.js").body();

            assertThat(data.at("/winrate/policy_version/0").asDouble()).isEqualTo(2);
            assertThat(data.at("/winrate/negotiation-v1 greedy/0").asDouble()).isEqualTo(0.5);
            assertThat(data.at("/winrate/negotiation-v1 greedy ci_low/0").asDouble())
                    .isEqualTo(0.25);
            assertThat(data.at("/winrate/negotiation-v1 greedy ci_high/0").asDouble())
                    .isEqualTo(0.75);
            assertThat(charts).contains("id: \"win_rate\"").contains("table: \"winrate\"")
                    .contains("const LOW = \" ci_low\", HIGH = \" ci_high\"")
                    .contains("bands: chart.bands ? bandsOf(lines) : []");
            for (String figure : List.of("zero_advantage_share", "no_agreement_rate",
                    "rounds_mean", "reward_group_min")) {
                assertThat(charts).contains("[\"steps\", \"" + figure + "\"");
                assertThat(data.at("/steps/" + figure)).as(figure).isEmpty();
            }
        }
    }

    @Test
    void theSeriesCarryHeldOutRewardThroughputPerStageAndLagPerGroup() throws Exception {
        RunSeries series = new RunSeries();
        series.step(1, Map.of("reward_mean", 0.25));
        series.heldOut(new HeldOutPoint(1, 0, 8, 0.2, 0.05, 0.5));
        series.window(new ProgressWindow(5, Map.of("prompts", 2.0, "rollouts", 1.5,
                "scored", 1.0, "steps", 0.4), 0, 1, Map.of("rollout-service", 4L,
                "reward-service", 1L, ConsumerLag.TRAINER, 3L)));
        try (Dashboard dashboard = Dashboard.start(series, 0)) {
            JsonNode data = new ObjectMapper().readTree(get(dashboard.url() + "api/series").body());

            assertThat(data.at("/heldout/trainer_step/0").asDouble()).isEqualTo(1);
            assertThat(data.at("/heldout/reward_mean/0").asDouble()).isEqualTo(0.2);
            assertThat(data.at("/heldout/agreement_rate/0").asDouble()).isEqualTo(0.5);
            for (String stage : ProgressWindow.STAGES) {
                assertThat(data.at("/windows/" + stage + "_per_second")).as(stage).hasSize(1);
            }
            assertThat(data.at("/windows/rollouts_per_second/0").asDouble()).isEqualTo(1.5);
            assertThat(data.at("/lag/seconds/0").asDouble()).isEqualTo(5);
            assertThat(data.at("/lag/rollout-service/0").asLong()).isEqualTo(4);
            assertThat(data.at("/lag/reward-service/0").asLong()).isEqualTo(1);
            assertThat(data.at("/lag/trainer-service/0").asLong()).isEqualTo(3);
        }
    }
}
