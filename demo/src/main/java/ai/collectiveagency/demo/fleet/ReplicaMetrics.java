package ai.collectiveagency.demo.fleet;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Reads what each running replica of a scaled stage says about itself on its management port
 * ({@code /q/metrics}, Prometheus text): the policy version it serves and the groups it has
 * sent. A replica that does not answer within a second (starting, stopping) is read as unknown.
 */
public final class ReplicaMetrics {

    private static final Duration ANSWER = Duration.ofSeconds(1);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(ANSWER).build();

    /** The running replicas of {@code fleet}'s scaled stages, in start order. */
    public List<ReplicaReading> read(Fleet fleet) throws InterruptedException {
        List<ReplicaReading> readings = new ArrayList<>();
        for (ServiceProcess process : fleet.services()) {
            var stage = ScaledStage.of(process.spec().name());
            if (stage.isPresent() && process.alive()) {
                readings.add(read(process, stage.get()));
            }
        }
        return readings;
    }

    private ReplicaReading read(ServiceProcess process, ScaledStage stage)
            throws InterruptedException {
        String text = scrape(process);
        long nanos = System.nanoTime();
        long millis = System.currentTimeMillis();
        String replica = process.spec().replica();
        if (text == null) {
            return new ReplicaReading(stage, replica, null, null, nanos, millis);
        }
        OptionalDouble version = stage.versionMetric().map(m -> value(text, m))
                .orElse(OptionalDouble.empty());
        OptionalDouble groups = value(text, stage.groupsMetric());
        return new ReplicaReading(stage, replica,
                version.isPresent() ? (Long) Math.round(version.getAsDouble()) : null,
                groups.isPresent() ? groups.getAsDouble() : 0.0, nanos, millis);
    }

    /** The metrics text, or null when the replica does not answer 200. */
    private String scrape(ServiceProcess process) throws InterruptedException {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    process.management().resolve("metrics")).timeout(ANSWER).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException notAnswering) {
            return null;
        }
    }

    /**
     * The sum of {@code metric}'s samples in Prometheus text (a counter or gauge without
     * labels has one), or empty when it has none.
     */
    static OptionalDouble value(String prometheusText, String metric) {
        double sum = 0;
        boolean found = false;
        for (String line : prometheusText.split("\n")) {
            if (!line.startsWith(metric)) {
                continue;
            }
            String rest = line.substring(metric.length());
            if (!rest.startsWith(" ") && !rest.startsWith("{")) {
                continue; // a longer name that starts alike
            }
            int end = rest.startsWith("{") ? rest.indexOf('}') + 1 : 0;
            String[] fields = rest.substring(end).trim().split("\\s+");
            try {
                sum += Double.parseDouble(fields[0]);
                found = true;
            } catch (NumberFormatException notANumber) {
                // NaN is spelled "NaN" and parses; anything else is not a sample.
            }
        }
        return found ? OptionalDouble.of(sum) : OptionalDouble.empty();
    }
}
