package ai.collectiveagency.rollout.checkpoint;

import ai.collectiveagency.schemas.PolicyCheckpoint;
import ai.collectiveagency.schemas.health.WorkerWatch;
import ai.collectiveagency.schemas.kafka.RecordFailure;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.common.errors.WakeupException;

/**
 * The follower thread's loop: polls the checkpoints topic and hands what arrives to the adopter,
 * until {@link #stop()}. Nothing a record or the broker throws ends it, {@link Error}s included:
 * the failure is logged and the loop polls again after a pause ({@link RecordFailure#RETRY} and
 * {@link RecordFailure#POISON} alike; when the adopter fails on several announcements read
 * together, each is tried alone, newest first, and a poisoned one is not read again). Only the JVM failing ({@link RecordFailure#FATAL}) ends the thread, marked dead on its
 * {@link WorkerWatch} so that liveness goes DOWN and the replica is replaced. The watch counts
 * the thread as working while it holds announced checkpoints.
 */
final class CheckpointFollowLoop implements Runnable {

    private static final System.Logger LOG =
            System.getLogger(CheckpointFollowLoop.class.getName());

    /** Where announcements come from ({@link CheckpointTopicReader#poll}). */
    interface Announcements {
        List<PolicyCheckpoint> poll(Duration timeout);
    }

    private final Announcements announcements;
    private final Consumer<List<PolicyCheckpoint>> adopter;
    private final WorkerWatch watch;
    private final Duration pollInterval;
    private volatile boolean running = true;

    CheckpointFollowLoop(Announcements announcements, Consumer<List<PolicyCheckpoint>> adopter,
            WorkerWatch watch, Duration pollInterval) {
        this.announcements = announcements;
        this.adopter = adopter;
        this.watch = watch;
        this.pollInterval = pollInterval;
    }

    @Override
    public void run() {
        watch.attach(Thread.currentThread());
        while (running) {
            try {
                List<PolicyCheckpoint> checkpoints = announcements.poll(pollInterval);
                if (!checkpoints.isEmpty()) {
                    watch.working();
                    adopt(checkpoints);
                    watch.progressed();
                }
            } catch (WakeupException e) {
                if (!running) {
                    return; // stopping
                }
            } catch (Throwable failure) {
                if (!running) {
                    return;
                }
                survive(failure);
            }
        }
    }

    /**
     * Hands the batch to the adopter; when that fails on a batch of several, tries each alone,
     * newest first, until one is adopted, so that one poisoned announcement does not cost the
     * later ones read with it.
     */
    private void adopt(List<PolicyCheckpoint> checkpoints) {
        try {
            adopter.accept(checkpoints);
        } catch (RuntimeException | Error failure) {
            if (checkpoints.size() == 1 || RecordFailure.of(failure) == RecordFailure.FATAL) {
                throw failure;
            }
            LOG.log(System.Logger.Level.WARNING, "adopting " + checkpoints.size()
                    + " announcements failed (" + failure + "); trying each alone, newest first");
            for (int i = checkpoints.size() - 1; i >= 0; i--) {
                try {
                    adopter.accept(List.of(checkpoints.get(i)));
                    return;
                } catch (RuntimeException | Error alone) {
                    if (RecordFailure.of(alone) == RecordFailure.FATAL) {
                        throw alone;
                    }
                    LOG.log(System.Logger.Level.WARNING, "announcement of version "
                            + checkpoints.get(i).getVersion() + " failed: " + alone);
                }
            }
            throw failure;
        }
    }

    /** Logs a failure and pauses; rethrows one of the JVM itself. */
    private void survive(Throwable failure) {
        if (RecordFailure.of(failure) == RecordFailure.FATAL) {
            watch.died(failure);
            LOG.log(System.Logger.Level.ERROR, "checkpoint follower stops: the JVM is failing",
                    failure);
            throw (Error) failure; // FATAL is a VirtualMachineError
        }
        watch.progressed(); // the failed batch is dropped: nothing is in hand any more
        LOG.log(System.Logger.Level.ERROR, "following checkpoints failed; polling again in "
                + pollInterval.toMillis() + " ms (a batch that failed is not read again)",
                failure);
        try {
            Thread.sleep(pollInterval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Ends the loop after the current poll or adoption. */
    void stop() {
        running = false;
    }
}
