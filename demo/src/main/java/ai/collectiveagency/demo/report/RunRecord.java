package ai.collectiveagency.demo.report;

import ai.collectiveagency.demo.dashboard.HeldOutPoint;
import ai.collectiveagency.demo.dashboard.ProgressWindow;
import ai.collectiveagency.demo.dashboard.RunSeries;
import ai.collectiveagency.demo.fleet.ReplicaReading;
import ai.collectiveagency.demo.samples.SampleLog;
import ai.collectiveagency.schemas.EvalResult;
import ai.collectiveagency.schemas.EvalResultJson;
import ai.collectiveagency.schemas.PolicyCheckpoint;
import ai.collectiveagency.schemas.ScoredGroup;
import ai.collectiveagency.schemas.TrainingMetrics;
import ai.collectiveagency.schemas.Trajectory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeSet;

/**
 * What the run did, fed event by event from the topics: it hands each event to the charts'
 * {@link RunSeries}, the {@link MetricsLog} and (scored groups) the {@link SampleLog}, and keeps
 * the counts and newest values the progress line and the report's summary need, and the
 * evaluation-service's win rates. Thread-safe.
 */
public final class RunRecord implements AutoCloseable {

    /** The evaluation name of the trainer's held-out results. */
    public static final String HELD_OUT = "held-out";
    /** The evaluation name of the evaluation-service's pairwise win rates. */
    public static final String WIN_RATE = EvalResultJson.WIN_RATE;
    /**
     * The step metrics the papers track, besides the reward, that the summary shows at the
     * start and at the end: the share of groups whose rewards are all equal (no gradient), the
     * share of negotiations that ended without agreement, the rounds a negotiation took, and
     * the lowest reward in a group.
     */
    public static final List<String> STEP_FIGURES = List.of("zero_advantage_share",
            "no_agreement_rate", "rounds_mean", "reward_group_min");
    /** Steps averaged for the reward at the start and at the end of the run, at most. */
    static final int EDGE_STEPS = 5;

    private final RunSeries series;
    private final SampleLog samples;
    private final MetricsLog log;
    private final Instant started;
    private final TreeSet<Long> newCheckpoints = new TreeSet<>();
    private final Adoptions adoptions = new Adoptions();
    private final WinRates winRates = new WinRates();
    private TrainingMetrics lastStep;
    private long steps;
    private long groups;
    private long heldOutGroups;
    private long fleetVersion;
    private long resumedVersion;
    private long checkpointVersion;
    private Map<String, Long> trainerOffsets = Map.of();

    public RunRecord(RunSeries series, SampleLog samples, MetricsLog log,
            Instant started) {
        this.series = series;
        this.samples = samples;
        this.log = log;
        this.started = started;
    }

    public synchronized void step(TrainingMetrics metrics) {
        steps++;
        lastStep = metrics;
        series.step(metrics.getStep(), metrics.getMetrics());
        log.step(metrics);
    }

    /**
     * An evaluation; held-out ones become points at the trainer step they report (or, when they
     * do not, the newest step seen), win rates points at the checkpoint they evaluated.
     */
    public synchronized void evaluation(EvalResult result) {
        log.evaluation(result);
        if (WIN_RATE.equals(result.getEvaluation())) {
            series.winRate(winRates.add(result));
            return;
        }
        if (!HELD_OUT.equals(result.getEvaluation())) {
            return;
        }
        Map<String, Double> m = result.getMetrics();
        Double step = m.get("trainer_step");
        series.heldOut(new HeldOutPoint(step != null ? step.longValue()
                : lastStep == null ? 0 : lastStep.getStep(), result.getPolicyVersion(),
                result.getSampleCount(), m.getOrDefault("reward_mean", Double.NaN),
                m.getOrDefault("reward_std", Double.NaN),
                m.getOrDefault("agreement_rate", Double.NaN)));
    }

    public synchronized void scored(ScoredGroup group) {
        groups++;
        if (group.getGroup().getTask().getHeldOut()) {
            heldOutGroups++;
        }
        fleetVersion = Math.max(fleetVersion, group.getGroup().getTrajectories().stream()
                .mapToLong(Trajectory::getPolicyVersion).max().orElse(0));
        samples.append(group);
    }

    /** Scored groups read so far (committed ones only, held-out ones included). */
    public synchronized long groupsScored() {
        return groups;
    }

    /** The newest checkpoint from before the run: the trainer resumes from it. */
    public synchronized void resumedFrom(PolicyCheckpoint checkpoint) {
        resumedVersion = Math.max(resumedVersion, checkpoint.getVersion());
        newest(checkpoint);
    }

    /** A checkpoint announced during the run, at {@code announcedMs} (its record's time). */
    public synchronized void checkpoint(PolicyCheckpoint checkpoint, long announcedMs) {
        log.checkpoint(checkpoint);
        // A resumed trainer announces its checkpoint again: not a new one.
        if (checkpoint.getVersion() > resumedVersion) {
            newCheckpoints.add(checkpoint.getVersion());
            adoptions.announced(checkpoint.getVersion(), announcedMs);
        }
        newest(checkpoint);
    }

    /** One scrape of the replicas: times the checkpoints every rollout replica now serves. */
    public synchronized void replicasRead(List<ReplicaReading> readings) {
        adoptions.served(readings).forEach(log::adoption);
    }

    /** Each checkpoint of the run that every rollout replica came to serve, in version order. */
    public synchronized List<Adoption> adoptions() {
        return adoptions.all();
    }

    private void newest(PolicyCheckpoint checkpoint) {
        if (checkpoint.getVersion() >= checkpointVersion) {
            checkpointVersion = checkpoint.getVersion();
            trainerOffsets = Map.copyOf(checkpoint.getConsumedOffsets());
        }
    }

    public synchronized void window(ProgressWindow window) {
        series.window(window);
        log.window(window);
    }

    public synchronized long steps() {
        return steps;
    }

    public synchronized Optional<TrainingMetrics> lastStep() {
        return Optional.ofNullable(lastStep);
    }

    /** The newest held-out evaluation, pooled over its trainer step. */
    public Optional<HeldOutPoint> lastHeldOut() {
        List<HeldOutPoint> points = series.heldOut();
        return points.isEmpty() ? Optional.empty() : Optional.of(points.get(points.size() - 1));
    }

    /** The newest policy version that sampled a scored group. */
    public synchronized long fleetVersion() {
        return fleetVersion;
    }

    public synchronized long checkpointVersion() {
        return checkpointVersion;
    }

    /** The newest checkpoint's consumed offsets by {@code topic-partition}; empty before one. */
    public synchronized Map<String, Long> trainerOffsets() {
        return trainerOffsets;
    }

    public RunSeries series() {
        return series;
    }

    /** The run in figures, as of {@code ended}. */
    public synchronized RunSummary summary(String run, Instant ended) {
        List<HeldOutPoint> heldOut = series.heldOut();
        // One held-out group is six samples of one task: pool a few at each end.
        int heldOutEdge = Math.max(1, Math.min(EDGE_STEPS, heldOut.size() / 2));
        return new RunSummary(run, started, Duration.between(started, ended), steps,
                newCheckpoints.size(), checkpointVersion, groups, heldOutGroups,
                figure("reward_mean"), STEP_FIGURES.stream().map(this::figure).toList(),
                pooled(heldOut.subList(0, Math.min(heldOutEdge, heldOut.size()))),
                pooled(heldOut.subList(Math.max(0, heldOut.size() - heldOutEdge),
                        heldOut.size())), winRates.records(), winRates.checkpoints(),
                winRates.last());
    }

    /** {@code metric} over the first and the last few steps that reported it. */
    private StepFigure figure(String metric) {
        List<Double> values = series.stepValues(metric);
        int edge = Math.max(1, Math.min(EDGE_STEPS, values.size() / 2));
        return new StepFigure(metric, mean(values.subList(0, Math.min(edge, values.size()))),
                mean(values.subList(Math.max(0, values.size() - edge), values.size())), edge,
                mean(values));
    }

    private static Optional<HeldOutPoint> pooled(List<HeldOutPoint> points) {
        return points.stream().reduce(HeldOutPoint::pool);
    }

    private static OptionalDouble mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average();
    }

    /** Logs the figures the report read from the sample files, at the end of the session. */
    public synchronized void samplesRead(RunSamples read) {
        log.samples(read);
    }

    @Override
    public void close() {
        try {
            samples.close();
        } finally {
            log.close();
        }
    }
}
