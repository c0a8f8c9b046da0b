package ai.collectiveagency.demo.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The files that draw the charts, on the class path: uPlot's script and style from its webjar
 * and the charts of a run ({@code charts.js}). The live dashboard serves them; the run report
 * inlines them, so that both draw the same charts.
 */
public final class ChartAssets {

    private static final String UPLOT = "/META-INF/resources/webjars/uplot/1.6.30/dist/";

    /** uPlot's minified script (an IIFE that defines {@code uPlot}). */
    public static final String UPLOT_JS = UPLOT + "uPlot.iife.min.js";
    /** uPlot's style sheet. */
    public static final String UPLOT_CSS = UPLOT + "uPlot.min.css";
    /** The chart definitions and drawing, shared by the dashboard and the report. */
    public static final String CHARTS_JS = "/dashboard/charts.js";
    /** The live dashboard's page. */
    public static final String PAGE = "/dashboard/index.html";

    private ChartAssets() {
    }

    /** The resource's bytes, or null when it is not on the class path. */
    public static byte[] bytes(String resource) {
        try (InputStream in = ChartAssets.class.getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /** The resource as text; fails when it is missing. */
    public static String text(String resource) {
        byte[] bytes = bytes(resource);
        if (bytes == null) {
            throw new IllegalStateException("missing on the class path: " + resource);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
