package ai.collectiveagency.demo.cli;

import ai.collectiveagency.demo.dashboard.BrokerOffsets;
import ai.collectiveagency.demo.dashboard.ConsumerLag;
import ai.collectiveagency.demo.dashboard.OffsetReader;
import ai.collectiveagency.demo.dashboard.ProgressWindow;
import ai.collectiveagency.demo.dashboard.ReplicaPoint;
import ai.collectiveagency.demo.dashboard.ReplicaRates;
import ai.collectiveagency.demo.dashboard.StageThroughput;
import ai.collectiveagency.demo.fleet.Fleet;
import ai.collectiveagency.demo.fleet.ReplicaMetrics;
import ai.collectiveagency.demo.fleet.ReplicaReading;
import ai.collectiveagency.demo.fleet.ScaledStage;
import ai.collectiveagency.demo.report.RunRecord;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import ai.collectiveagency.schemas.TrainingMetrics;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * One line every few seconds: elapsed time, trainer step and checkpoint version, the last step's
 * mean reward and KL, the newest held-out reward when there is one, the scored groups per second,
 * the replicas of the scaled stages (each rollout replica's served version, the reward replicas'
 * count) and the newest policy version that sampled a scored group. Between lines it hands the
 * topics' events to the {@link RunRecord} and, every second, the replicas' metrics (for the
 * checkpoint adoption times); at each line it closes a {@link ProgressWindow} (throughput per
 * stage, versions, consumer lag, replicas) for the charts.
 */
final class ProgressLine {

    private static final Duration EVERY = Duration.ofSeconds(5);
    /** How often the replicas' metrics are read: the precision of the adoption times. */
    static final Duration SCRAPE_EVERY = Duration.ofSeconds(1);

    private final TopicReaders readers;
    private final OffsetReader offsets;
    private final RunRecord record;
    private final TopicCatalogue topics;
    private final PrintStream out;
    private final StageThroughput throughput = new StageThroughput();
    private final Fleet fleet;
    private final ReplicaMetrics replicaMetrics = new ReplicaMetrics();
    private final ReplicaRates replicaRates = new ReplicaRates();
    private List<ReplicaReading> replicas = List.of();

    ProgressLine(Fleet fleet, TopicReaders readers, OffsetReader offsets, RunRecord record,
            TopicCatalogue topics, PrintStream out) {
        this.fleet = fleet;
        this.readers = readers;
        this.offsets = offsets;
        this.record = record;
        this.topics = topics;
        this.out = out;
    }

    /** Runs until {@code limit} has passed or {@code stop} says so. */
    void run(Duration limit, BooleanSupplier stop) throws InterruptedException {
        long start = System.nanoTime();
        long lastLine = start;
        long lastScrape = start;
        throughput.rates(counts(offsets.read()), start);
        replicaRates.points(scrape());
        while (System.nanoTime() - start < limit.toNanos() && !stop.getAsBoolean()) {
            readers.pollInto(record);
            if (System.nanoTime() - lastScrape >= SCRAPE_EVERY.toNanos()) {
                scrape();
                lastScrape = System.nanoTime();
            }
            long now = System.nanoTime();
            if (now - lastLine >= EVERY.toNanos()) {
                ProgressWindow window = window((now - start) / 1e9, now);
                record.window(window);
                out.println(line(window));
                lastLine = now;
            }
        }
    }

    private List<ReplicaReading> scrape() throws InterruptedException {
        replicas = replicaMetrics.read(fleet);
        record.replicasRead(replicas);
        return replicas;
    }

    private ProgressWindow window(double seconds, long now) {
        Optional<BrokerOffsets> broker = offsets.read();
        Map<String, Double> perSecond = throughput.rates(counts(broker), now);
        Map<String, Long> lag = broker.map(b -> ConsumerLag.of(b,
                topics.name(LogicalTopic.SCORED), record.trainerOffsets())).orElse(Map.of());
        return new ProgressWindow(seconds, perSecond, record.fleetVersion(),
                record.checkpointVersion(), lag, replicaRates.points(replicas));
    }

    /**
     * Running counts per stage: trainer steps seen, scored groups read (committed records only),
     * and the end offsets of prompts and rollouts. Offsets count each transaction's commit
     * marker too, one per partition it wrote, so rollouts read a little high; scored groups are
     * counted as read, exactly.
     */
    private Map<String, Long> counts(Optional<BrokerOffsets> broker) {
        Map<String, Long> counts = new HashMap<>();
        counts.put("steps", record.steps());
        counts.put("scored", record.groupsScored());
        broker.ifPresent(b -> {
            counts.put("prompts", b.written(topics.name(LogicalTopic.PROMPTS)));
            counts.put("rollouts", b.written(topics.name(LogicalTopic.ROLLOUTS)));
        });
        return counts;
    }

    private String line(ProgressWindow window) {
        Map<String, Double> m = record.lastStep().map(TrainingMetrics::getMetrics)
                .orElse(Map.of());
        String heldOut = record.lastHeldOut().map(p -> String.format("  held-out %.4f",
                p.rewardMean())).orElse("");
        return String.format("t=%s  step %d  checkpoint v%d  reward %.4f%s  kl %.4f  "
                + "groups/s %.2f  %s  fleet v%d", clock(window.seconds()),
                record.lastStep().map(TrainingMetrics::getStep).orElse(0L), window.checkpoint(),
                m.getOrDefault("reward_mean", Double.NaN), heldOut,
                m.getOrDefault("kl", Double.NaN),
                window.perSecond().getOrDefault("scored", Double.NaN),
                replicas(window.replicas()), window.fleetVersion());
    }

    /**
     * The replicas compactly: {@code replicas rollout v12,v11 reward 2} (a rollout replica's
     * served version, {@code v?} while it does not answer; the running reward replicas).
     */
    static String replicas(List<ReplicaPoint> replicas) {
        String rollout = replicas.stream()
                .filter(r -> r.service().equals(ScaledStage.ROLLOUT.service()))
                .map(r -> r.policyVersion() == null ? "v?" : "v" + r.policyVersion())
                .collect(Collectors.joining(","));
        long reward = replicas.stream()
                .filter(r -> r.service().equals(ScaledStage.REWARD.service())).count();
        return "replicas rollout " + (rollout.isEmpty() ? "0" : rollout) + " reward " + reward;
    }

    private static String clock(double seconds) {
        long s = (long) seconds;
        return String.format("%02d:%02d", s / 60, s % 60);
    }
}
