package ai.collectiveagency.demo.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The run's live dashboard on loopback: {@code /} is a page of uPlot charts that polls
 * {@code /api/series} (the {@link RunSeries} as JSON) every two seconds and draws it with
 * {@code charts.js}; uPlot's script and style come from its webjar ({@link ChartAssets}).
 * The JDK's HTTP server is enough for one page and one JSON document, and keeps the demo
 * launcher free of a web framework.
 */
public final class Dashboard implements AutoCloseable {

    private static final Map<String, String[]> FILES = Map.of(
            "/", new String[] {ChartAssets.PAGE, "text/html; charset=utf-8"},
            "/uplot.js", new String[] {ChartAssets.UPLOT_JS, "text/javascript"},
            "/uplot.css", new String[] {ChartAssets.UPLOT_CSS, "text/css"},
            "/charts.js", new String[] {ChartAssets.CHARTS_JS, "text/javascript"});

    private final HttpServer server;
    private final RunSeries series;

    private Dashboard(HttpServer server, RunSeries series) {
        this.server = server;
        this.series = series;
    }

    /** Serves {@code series} on 127.0.0.1:{@code port} (0: any free port). */
    public static Dashboard start(RunSeries series, int port) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            Dashboard dashboard = new Dashboard(server, series);
            server.createContext("/", dashboard::handle);
            server.start();
            return dashboard;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve the dashboard on port " + port, e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (path.equals("/api/series")) {
            send(exchange, 200, "application/json", series.json().getBytes(StandardCharsets.UTF_8));
            return;
        }
        String[] file = FILES.get(path);
        if (file == null) {
            send(exchange, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
            return;
        }
        byte[] body = ChartAssets.bytes(file[0]);
        if (body == null) {
            send(exchange, 500, "text/plain", ("missing " + file[0])
                    .getBytes(StandardCharsets.UTF_8));
            return;
        }
        send(exchange, 200, file[1], body);
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body)
            throws IOException {
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.getResponseHeaders().add("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
