package ai.collectiveagency.demo.cli;

import ai.collectiveagency.demo.dashboard.ProgressWindow;
import ai.collectiveagency.demo.dashboard.RunSeries;
import ai.collectiveagency.schemas.PolicyCheckpoint;
import ai.collectiveagency.schemas.ScoredGroup;
import ai.collectiveagency.schemas.TrainingMetrics;
import ai.collectiveagency.schemas.Trajectory;
import ai.collectiveagency.schemas.kafka.PolicyCheckpointDeserializer;
import ai.collectiveagency.schemas.kafka.ScoredGroupDeserializer;
import ai.collectiveagency.schemas.kafka.TrainingMetricsDeserializer;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * One line every few seconds from the topics: elapsed time, trainer step and policy version,
 * the last step's mean reward and KL, the scored groups per second since the last line and the
 * newest policy version that sampled one; the same figures go to the dashboard's
 * {@link RunSeries}.
 */
final class ProgressLine {

    private static final Duration EVERY = Duration.ofSeconds(5);

    private final String kafka;
    private final PrintStream out;
    private final RunSeries series;

    ProgressLine(String kafka, PrintStream out, RunSeries series) {
        this.kafka = kafka;
        this.out = out;
        this.series = series;
    }

    void run(Duration limit) {
        try (KafkaConsumer<String, TrainingMetrics> metrics = consumer(
                new TrainingMetricsDeserializer(), "alignment.metrics");
                KafkaConsumer<String, ScoredGroup> scored = consumer(
                        new ScoredGroupDeserializer(), "alignment.scored");
                KafkaConsumer<String, PolicyCheckpoint> checkpoints = consumer(
                        new PolicyCheckpointDeserializer(), "alignment.checkpoints")) {
            long start = System.nanoTime();
            long lastLine = start;
            TrainingMetrics step = null;
            long groups = 0;
            long fleetVersion = 0;
            long version = 0;
            while (System.nanoTime() - start < limit.toNanos()) {
                for (var r : metrics.poll(Duration.ofMillis(300))) {
                    step = r.value();
                    series.step(step.getStep(), step.getMetrics());
                }
                for (var r : scored.poll(Duration.ofMillis(300))) {
                    groups++;
                    fleetVersion = Math.max(fleetVersion, r.value().getGroup().getTrajectories()
                            .stream().mapToLong(Trajectory::getPolicyVersion).max().orElse(0));
                }
                for (var r : checkpoints.poll(Duration.ofMillis(100))) {
                    version = Math.max(version, r.value().getVersion());
                }
                long now = System.nanoTime();
                if (now - lastLine >= EVERY.toNanos()) {
                    double seconds = (now - lastLine) / 1e9;
                    Map<String, Double> m = step == null ? Map.of() : step.getMetrics();
                    out.printf("t=%s  step %d  checkpoint v%d  reward %.4f  kl %.4f  "
                            + "groups/s %.2f  fleet v%d%n", clock(now - start),
                            step == null ? 0 : step.getStep(), version,
                            m.getOrDefault("reward_mean", Double.NaN),
                            m.getOrDefault("kl", Double.NaN), groups / seconds, fleetVersion);
                    series.window(new ProgressWindow((now - start) / 1e9,
                            Map.of("scored", groups / seconds), fleetVersion, version, Map.of()));
                    groups = 0;
                    lastLine = now;
                }
            }
        }
    }

    private static String clock(long nanos) {
        long s = nanos / 1_000_000_000L;
        return String.format("%02d:%02d", s / 60, s % 60);
    }

    private <V> KafkaConsumer<String, V> consumer(
            org.apache.kafka.common.serialization.Deserializer<V> values, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "demo-progress-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        KafkaConsumer<String, V> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                values);
        consumer.subscribe(List.of(topic));
        return consumer;
    }
}
