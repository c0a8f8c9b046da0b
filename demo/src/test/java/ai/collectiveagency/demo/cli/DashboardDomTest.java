package ai.collectiveagency.demo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.demo.cli.DashboardDom.Chart;
import org.junit.jupiter.api.Test;

/** The browser test's reading of the dashboard's DOM contract. */
class DashboardDomTest {

    @Test
    void chartsAndRefreshCountAreReadFromTheirAttributes() {
        DashboardDom dom = DashboardDom.parse("""
                <html><head><script>box.innerHTML = "<h2>" + title;</script></head>
                <body class="x" data-refreshed="3"><div id="charts">
                <div id="chart-reward" class="chart wide" data-series="reward_mean" \
                data-points="7"><canvas width="460"></canvas></div>
                <div class="chart" data-points="0" data-series="kl"></div>
                <div class="u-legend chart-less" data-series="reward"></div>
                </div></body></html>""");

        assertThat(dom.refreshed()).isEqualTo(3);
        assertThat(dom.charts()).containsExactly(new Chart("reward_mean", 7), new Chart("kl", 0));
        assertThat(dom.plotting("reward")).containsExactly(new Chart("reward_mean", 7));
    }

    @Test
    void missingAttributesReadAsMinusOne() {
        DashboardDom dom = DashboardDom.parse(
                "<body><div class=\"chart\" data-series=\"reward\"></div></body>");

        assertThat(dom.refreshed()).isEqualTo(-1);
        assertThat(dom.charts()).containsExactly(new Chart("reward", -1));
    }
}
