package ai.collectiveagency.trainer.loop;

import ai.collectiveagency.schemas.EvalResult;
import ai.collectiveagency.schemas.PolicyCheckpoint;
import ai.collectiveagency.schemas.ScoredGroup;
import ai.collectiveagency.schemas.Trajectory;
import ai.collectiveagency.schemas.TrainingMetrics;
import ai.collectiveagency.schemas.health.WorkerWatch;
import ai.collectiveagency.schemas.signing.CheckpointSigner;
import ai.collectiveagency.trainer.batching.GroupSignal;
import ai.collectiveagency.trainer.batching.RoleBaselines;
import ai.collectiveagency.trainer.checkpoint.BaseModel;
import ai.collectiveagency.trainer.checkpoint.CheckpointDirectory;
import ai.collectiveagency.trainer.checkpoint.CheckpointPublisher;
import ai.collectiveagency.trainer.checkpoint.TrainerState;
import ai.collectiveagency.trainer.config.TrainerConfig;
import ai.collectiveagency.trainer.evaluation.GroupOutcomes;
import ai.collectiveagency.trainer.evaluation.HeldOutEvaluation;
import ai.collectiveagency.trainer.ledger.Ledger;
import ai.collectiveagency.trainer.ledger.LedgerEntry;
import ai.collectiveagency.trainer.ledger.LedgerFiles;
import ai.collectiveagency.trainer.ledger.SettledGroups;
import ai.collectiveagency.trainer.scored.ScoredRecord;
import ai.collectiveagency.trainer.scored.ScoredTopicReader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * GRPO from the stream. Resumes from the latest checkpoint (or the start), then takes groups
 * from the {@link ScoredTopicReader}, one {@link TrainingStep} per {@code groups-per-step}, and
 * every {@code checkpoint-every} steps (and when stopped) writes the ledger file of the version
 * and publishes the checkpoint ({@link CheckpointPublisher}). A crash between two checkpoints
 * re-trains only what came after the last one, from the same state: the records are read again
 * in the same order, so the steps come out the same.
 *
 * <p>A group sampled more than {@code max-staleness} versions behind, or whose tokens this
 * model cannot take, goes to the scored topic's DLQ with the reason; so do the groups a step
 * throws on ({@link TrainingStep}). Within the bound the ratio to the recorded behaviour
 * log-probs corrects for the lag.
 *
 * <p>A group whose rewards are all equal carries no advantage: with {@code dynamic-sampling} it
 * is settled at once without training (ledger {@code no_signal}) and does not count toward
 * {@code groups-per-step}; its rewards go into the next step's figures. After
 * {@code checkpoint-every-settled} groups settled without a step (these and held-out ones) a
 * checkpoint is written even so, with the weights as they are.
 *
 * <p>A group whose task is held out is never trained on: it is evaluated instead
 * ({@link HeldOutEvaluation}), its {@code EvalResult} sent on the metrics topic beside the step
 * metrics, and it is done at once, so it holds back no offset. Staleness and fit do not apply to
 * it: it runs through no model, and an old version's held-out reward is still a fact about that
 * version.
 *
 * <p>Its thread is watched ({@link #watch()}): working while records wait to be handled or a
 * step or checkpoint is under way, idle while it waits for records.
 */
public final class TrainerLoop implements Runnable {

    private static final System.Logger LOG = System.getLogger(TrainerLoop.class.getName());

    private final TrainerConfig config;
    private final BaseModel baseModel;
    private final CheckpointDirectory store;
    private final CheckpointPublisher publisher;
    private final Consumer<String, byte[]> consumer;
    /** Step metrics and held-out evaluations, both on the metrics topic. */
    private final Producer<String, SpecificRecord> metrics;
    private final Producer<String, byte[]> deadLetters;
    private final StepListener listener;
    private final Clock clock;
    private final Map<String, ?> serdeConfig;
    private final WorkerWatch watch;
    private final RoleBaselines roles = new RoleBaselines();
    private final List<WaitingGroup> waiting = new ArrayList<>();
    /** The groups settled without training since the last step, for its figures. */
    private GroupOutcomes withoutSignal = GroupOutcomes.NONE;
    private ScoredTopicReader reader;
    private SettledGroups settled;
    private Ledger ledger;
    private TrainingStep trainingStep;
    private volatile long step;
    private volatile long version;
    private long checkpointedStep;
    /** Groups settled without a step (held out, without signal) since the last checkpoint. */
    private int settledSinceCheckpoint;
    private volatile boolean running = true;
    /** When the last step ended (or the loop started): the wait for groups counts from here. */
    private long lastStepEnded = System.nanoTime();
    private double lastCheckpointSeconds;

    /**
     * @param baseModel the base model's name and identity, recorded in every checkpoint
     * @param signer signs every checkpoint announcement (replicas refuse unsigned ones)
     * @param serdeConfig the scored records' deserializer settings (a schema registry)
     */
    public TrainerLoop(TrainerConfig config, BaseModel baseModel, CheckpointSigner signer,
            Consumer<String, byte[]> consumer, Producer<String, PolicyCheckpoint> checkpoints,
            Producer<String, SpecificRecord> metrics, Producer<String, byte[]> deadLetters,
            StepListener listener, Clock clock, Map<String, ?> serdeConfig) {
        this.config = config;
        this.baseModel = baseModel;
        this.store = new CheckpointDirectory(config.store());
        this.publisher = new CheckpointPublisher(store, signer, checkpoints,
                config.topics().checkpoints(), baseModel, PolicyUnderTraining.formatOf(config),
                clock);
        this.consumer = consumer;
        this.metrics = metrics;
        this.deadLetters = deadLetters;
        this.listener = listener;
        this.clock = clock;
        this.serdeConfig = serdeConfig;
        this.watch = new WorkerWatch("trainer-loop", config.health().stallAfter());
    }

    /**
     * Runs {@code hook} with each checkpoint folder once it is written and announced
     * (retention); call before {@link #run()}.
     */
    public TrainerLoop afterCheckpoint(java.util.function.Consumer<Path> hook) {
        publisher.afterWrite(hook);
        return this;
    }

    /** The liveness of the loop's thread. */
    public WorkerWatch watch() {
        return watch;
    }

    /** Asks the loop to stop after the record it is on; it then writes a last checkpoint. */
    public void stop() {
        running = false;
    }

    public long step() {
        return step;
    }

    public long version() {
        return version;
    }

    @Override
    public void run() {
        watch.attach(Thread.currentThread());
        resume();
        try {
            while (running && !reachedMaxSteps()) {
                boolean busy = reader.hasPolled();
                if (busy) {
                    watch.working();
                }
                Optional<ScoredRecord> read = reader.next();
                if (read.isPresent()) {
                    watch.working();
                    handle(read.get());
                }
                if (busy || read.isPresent()) {
                    watch.progressed();
                }
            }
            if (step > checkpointedStep) {
                watch.working();
                checkpoint();
                watch.progressed();
            }
        } finally {
            trainingStep.close();
        }
    }

    private boolean reachedMaxSteps() {
        return config.maxSteps() > 0 && step >= config.maxSteps();
    }

    private void resume() {
        Optional<Path> latest = store.latestValid();
        TrainerState state = latest.map(TrainerState::read)
                .orElseGet(() -> TrainerState.fresh(baseModel));
        if (latest.isPresent() && !baseModel.requireSameAs(state, store.root())) {
            LOG.log(System.Logger.Level.WARNING, latest.get() + " was written before base model"
                    + " digests were recorded: resuming on the name " + baseModel.name()
                    + " alone; the next checkpoint records sha256 " + baseModel.sha256());
        }
        // Ledger files above the resumed version belong to checkpoints that never landed.
        Path ledgerFolder = LedgerFiles.folder(store.root());
        LedgerFiles.deleteAfter(ledgerFolder, state.version());
        settled = SettledGroups.resume(ledgerFolder, latest, config.dedup().expectedGroups(),
                config.dedup().falsePositiveRate());
        ledger = new Ledger(ledgerFolder, settled);
        trainingStep = new TrainingStep(config, latest
                .map(folder -> PolicyUnderTraining.resume(config, folder))
                .orElseGet(() -> PolicyUnderTraining.fresh(config)), roles, clock);
        step = state.step();
        version = state.version();
        checkpointedStep = step;
        Map<RoleBaselines.Role, Double> baselines = new HashMap<>();
        state.roleBaselines().forEach((role, value) ->
                baselines.put(RoleBaselines.Role.valueOf(role), value));
        roles.restore(baselines);
        reader = new ScoredTopicReader(config.topics().scored(),
                config.topics().scoredDeadLetters(), consumer, deadLetters, serdeConfig,
                settled, ledger, listener, () -> running);
        reader.assign(state.consumedOffsets());
        if (latest.isPresent()) {
            LOG.log(System.Logger.Level.INFO, "resumed from " + latest.get() + " at step " + step
                    + ", version " + version + ", offsets " + state.consumedOffsets());
            publisher.announce(latest.get(), state, Map.of());
        }
    }

    private void handle(ScoredRecord read) {
        ScoredGroup group = read.group();
        if (group.getGroup().getTask().getHeldOut()) {
            evaluate(read);
            return;
        }
        Optional<String> unfit = trainingStep.model().unfit(group.getGroup());
        if (unfit.isPresent()) {
            reader.deadLetter(read, "unfit: " + unfit.get(), null, 0);
            return;
        }
        long behaviour = group.getGroup().getTrajectories().stream()
                .mapToLong(Trajectory::getPolicyVersion).min().orElse(version);
        long staleness = version - behaviour;
        if (staleness > config.maxStaleness()) {
            reader.deadLetter(read, "stale: sampled " + staleness + " versions behind, "
                    + "max-staleness " + config.maxStaleness(), null, staleness);
            return;
        }
        if (config.dynamicSampling() && GroupSignal.none(group)) {
            settleWithoutSignal(read, behaviour);
            return;
        }
        listener.used(staleness);
        reader.waiting(read);
        waiting.add(new WaitingGroup(read, staleness));
        if (waiting.size() >= config.groupsPerStep()) {
            takeStep();
        }
    }

    private void takeStep() {
        double waited = (System.nanoTime() - lastStepEnded) / 1e9;
        TrainingStep.Outcome outcome = trainingStep.take(List.copyOf(waiting), withoutSignal);
        if (outcome instanceof TrainingStep.Refused refused) {
            // The rest keep waiting, for groups that make the step full again.
            refused.groups().forEach((group, reason) -> {
                reader.deadLetter(group.read(), reason, null, group.staleness());
                waiting.remove(group);
            });
            return;
        }
        if (outcome instanceof TrainingStep.NothingToLearn) {
            for (WaitingGroup group : waiting) {
                reader.deadLetter(group.read(), "no_tokens: no turn to learn from under "
                        + "trainer.segments=" + config.segments() + ", trainer.personas="
                        + config.personas() + ", trainer.train-thoughts="
                        + config.trainThoughts(), null, group.staleness());
            }
            waiting.clear();
            reader.stepTaken();
            return;
        }
        Map<String, Double> values = ((TrainingStep.Taken) outcome).metrics();
        step++;
        for (WaitingGroup group : waiting) {
            ledger.add(LedgerEntry.trained(group.read().taskId(), group.read().groupId(), step),
                    group.read().partition(), group.read().offset());
        }
        values.put("wait_seconds", waited);
        values.put("checkpoint_seconds", lastCheckpointSeconds);
        waiting.clear();
        withoutSignal = GroupOutcomes.NONE;
        reader.stepTaken();
        metrics.send(new ProducerRecord<>(config.topics().metrics(), "trainer",
                TrainingMetrics.newBuilder().setStep(step).setPolicyVersion(version)
                        .setRecordedAt(now()).setMetrics(values).build()));
        listener.stepped(step, version, values);
        if (step % config.checkpointEvery() == 0) {
            checkpoint();
        }
        lastStepEnded = System.nanoTime();
    }

    /**
     * Writes the version's ledger file (before its folder lands), then publishes the folder:
     * weights, optimizer state, the settled-groups filter, offsets and baselines.
     */
    private void checkpoint() {
        long started = System.nanoTime();
        version++;
        Map<String, Double> roleState = new HashMap<>();
        roles.snapshot().forEach((role, value) -> roleState.put(role.name(), value));
        TrainerState state = new TrainerState(step, version, baseModel.name(),
                baseModel.sha256(), reader.committable(), roleState);
        ledger.write(version, reader::firstNotDone);
        Path folder = publisher.publish(state, partial -> {
            trainingStep.model().saveInto(partial, baseModel.name());
            settled.saveInto(partial);
        }, Map.of("step", (double) step));
        checkpointedStep = step;
        settledSinceCheckpoint = 0;
        double seconds = (System.nanoTime() - started) / 1e9;
        lastCheckpointSeconds = seconds;
        listener.checkpointed(version, seconds);
        LOG.log(System.Logger.Level.INFO, "checkpoint v" + version + " (step " + step + ") at "
                + folder + " in " + String.format("%.2f", seconds) + " s");
    }

    /**
     * Settles a group without signal (dynamic sampling): its record is done at once, as a
     * held-out group's, so it holds back no offset; its rewards and outcomes go into the next
     * step's figures, without the group being kept.
     */
    private void settleWithoutSignal(ScoredRecord read, long behaviour) {
        reader.done(read);
        ledger.add(LedgerEntry.noSignal(read.taskId(), read.groupId(), behaviour),
                read.partition(), read.offset());
        withoutSignal = withoutSignal.plus(read.group());
        listener.withoutSignal();
        settledWithoutStep();
    }

    /** Checkpoints once {@code checkpoint-every-settled} groups were settled without a step. */
    private void settledWithoutStep() {
        if (++settledSinceCheckpoint >= config.checkpointEverySettled()) {
            checkpoint();
        }
    }

    /**
     * Publishes the evaluation of a held-out group and marks its record done. The send is
     * awaited so that a checkpoint never counts as done a group whose result is not on the
     * broker; a failed send stops the loop (a restart evaluates the group again), so each
     * held-out group's result is published at least once.
     */
    private void evaluate(ScoredRecord read) {
        EvalResult result = HeldOutEvaluation.of(read.group(), step, now());
        try {
            metrics.send(new ProducerRecord<>(config.topics().metrics(), read.taskId(), result))
                    .get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing the evaluation of "
                    + read.taskId(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not publish the evaluation of held-out "
                    + "group " + read.taskId(), e.getCause());
        }
        reader.done(read);
        ledger.add(LedgerEntry.heldOut(read.taskId(), read.groupId(), result.getPolicyVersion()),
                read.partition(), read.offset());
        listener.heldOut(result.getPolicyVersion(), result.getMetrics());
        settledWithoutStep();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
