package ai.collectiveagency.evaluation.service;

import ai.collectiveagency.schemas.EvalResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The service's meters: {@code evaluation_runs_total{outcome}} (evaluated, refused: the
 * checkpoint failed verification or was pruned from the store, failed: anything else),
 * {@code evaluation_seconds}, {@code evaluation_versions_skipped_total} (passed over for a newer
 * one), {@code evaluation_checkpoints_malformed_total}, and the latest
 * {@code evaluation_win_rate{set,decoding,against}}.
 */
final class EvaluationMeters {

    enum Outcome { EVALUATED, REFUSED, FAILED }

    private final MeterRegistry registry;
    private final Map<Outcome, Counter> runs = new ConcurrentHashMap<>();
    private final Timer seconds;
    private final Counter skipped;
    private final Counter malformed;
    private final Map<Tags, AtomicReference<Double>> winRates = new ConcurrentHashMap<>();

    EvaluationMeters(MeterRegistry registry) {
        this.registry = registry;
        for (Outcome outcome : Outcome.values()) {
            runs.put(outcome, Counter.builder("evaluation_runs_total")
                    .description("Checkpoint evaluations by outcome")
                    .tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
                    .register(registry));
        }
        this.seconds = Timer.builder("evaluation_seconds")
                .description("Time of one checkpoint's evaluation, every set and decoding")
                .register(registry);
        this.skipped = Counter.builder("evaluation_versions_skipped_total")
                .description("Announced versions passed over for a newer one").register(registry);
        this.malformed = Counter.builder("evaluation_checkpoints_malformed_total")
                .description("Records on the checkpoints topic that did not decode")
                .register(registry);
    }

    void run(Outcome outcome) {
        runs.get(outcome).increment();
    }

    void took(Duration duration) {
        seconds.record(duration);
    }

    void skipped(long count) {
        skipped.increment(count);
    }

    void malformed() {
        malformed.increment();
    }

    void result(EvalResult result) {
        Double rate = result.getMetrics().get("win_rate");
        if (rate == null) {
            return;
        }
        Tags tags = Tags.of("set", String.valueOf(result.getEvalSet()), "decoding",
                String.valueOf(result.getDecoding()), "against",
                String.valueOf(result.getAgainst()));
        winRates.computeIfAbsent(tags, t -> {
            AtomicReference<Double> value = new AtomicReference<>(Double.NaN);
            Gauge.builder("evaluation_win_rate", value, AtomicReference::get)
                    .description("The latest evaluated checkpoint's win rate").tags(t)
                    .register(registry);
            return value;
        }).set(rate);
    }
}
