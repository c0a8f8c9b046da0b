package ai.collectiveagency.evaluation.service;

import ai.collectiveagency.evaluation.candidates.AnnouncedCheckpoints;
import ai.collectiveagency.evaluation.candidates.Contestant;
import ai.collectiveagency.evaluation.comparison.SetComparison;
import ai.collectiveagency.evaluation.run.EvaluationProgress;
import ai.collectiveagency.evaluation.run.Evaluator;
import ai.collectiveagency.schemas.EvalResult;
import ai.collectiveagency.schemas.PolicyCheckpoint;
import ai.collectiveagency.schemas.health.WorkerWatch;
import ai.collectiveagency.selfplay.checkpoint.CheckpointRefusedException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.common.errors.WakeupException;

/**
 * The service's one worker: reads announcements, lets the {@link EvaluationSchedule} pick the
 * checkpoint due, evaluates it against the base model, publishes one result per set and
 * decoding, and commits the group's offsets once no announcement waits. A checkpoint that fails
 * verification, or whose evaluation fails, is logged and counted, and the worker goes on with
 * the next one.
 */
final class EvaluationWorker implements Runnable {

    private static final System.Logger LOG = System.getLogger(EvaluationWorker.class.getName());

    private final CheckpointFeed feed;
    private final EvaluationSchedule schedule;
    private final AnnouncedCheckpoints checkpoints;
    private final Evaluator evaluator;
    private final Contestant base;
    private final ResultPublisher publisher;
    private final EvaluationMeters meters;
    private final WorkerWatch watch;
    private final Duration pollInterval;
    private final Clock clock;
    private volatile boolean stopped;

    EvaluationWorker(CheckpointFeed feed, EvaluationSchedule schedule,
            AnnouncedCheckpoints checkpoints, Evaluator evaluator, Contestant base,
            ResultPublisher publisher, EvaluationMeters meters, WorkerWatch watch,
            Duration pollInterval, Clock clock) {
        this.feed = feed;
        this.schedule = schedule;
        this.checkpoints = checkpoints;
        this.evaluator = evaluator;
        this.base = base;
        this.publisher = publisher;
        this.meters = meters;
        this.watch = watch;
        this.pollInterval = pollInterval;
        this.clock = clock;
    }

    @Override
    public void run() {
        try {
            while (!stopped) {
                step();
            }
        } catch (WakeupException e) {
            if (!stopped) {
                watch.died(e);
            }
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, "evaluation worker stopped", e);
            watch.died(e);
            throw e;
        }
    }

    void stop() {
        stopped = true;
        feed.wakeup();
    }

    private void step() {
        long skippedBefore = schedule.skipped();
        for (PolicyCheckpoint announcement : feed.poll(pollInterval)) {
            schedule.announced(announcement);
        }
        meters.skipped(schedule.skipped() - skippedBefore);
        Optional<PolicyCheckpoint> due = schedule.due(clock.instant());
        due.ifPresent(this::evaluate);
        if (!schedule.hasWaiting()) {
            feed.commit();
        }
        watch.progressed();
    }

    private void evaluate(PolicyCheckpoint announcement) {
        Instant start = clock.instant();
        Contestant candidate = null;
        try {
            candidate = checkpoints.load(announcement);
            List<SetComparison> comparisons = evaluator.evaluate(candidate, base, progress());
            List<EvalResult> results = comparisons.stream()
                    .map(c -> c.toResult(clock.instant())).toList();
            publisher.publish(results);
            results.forEach(meters::result);
            meters.run(EvaluationMeters.Outcome.EVALUATED);
            meters.took(Duration.between(start, clock.instant()));
            LOG.log(System.Logger.Level.INFO, "v" + announcement.getVersion() + " against base: "
                    + summary(comparisons));
        } catch (CheckpointRefusedException e) {
            meters.run(EvaluationMeters.Outcome.REFUSED);
            LOG.log(System.Logger.Level.WARNING, "not evaluated: " + e.getMessage());
        } catch (RuntimeException e) {
            meters.run(EvaluationMeters.Outcome.FAILED);
            LOG.log(System.Logger.Level.ERROR, "evaluation of v" + announcement.getVersion()
                    + " failed", e);
        } finally {
            release(candidate);
        }
    }

    private EvaluationProgress progress() {
        return new EvaluationProgress() {
            @Override
            public void started(int totalTasks) {
                watch.progressed();
            }

            @Override
            public void played(String what, int tasks) {
                watch.progressed();
            }
        };
    }

    /** Closes a checkpoint's adapter or model; the shared base model gets no adapter back. */
    private void release(Contestant candidate) {
        base.activate();
        if (candidate == null) {
            return;
        }
        try {
            if (candidate.adapter() instanceof AutoCloseable adapter) {
                adapter.close();
            } else if (candidate.policy() != base.policy()) {
                candidate.policy().close();
            }
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "could not release " + candidate.label(), e);
        }
    }

    private static String summary(List<SetComparison> comparisons) {
        return comparisons.stream().map(c -> {
            var rate = c.winRate();
            var interval = rate.interval();
            return String.format("%s %s %.3f [%.3f, %.3f] n=%d", c.setId(),
                    c.decoding().label(), rate.rate(), interval.low(), interval.high(), rate.n());
        }).collect(Collectors.joining("; "));
    }
}
