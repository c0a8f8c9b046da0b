package ai.collectiveagency.trainer.loop;

import ai.collectiveagency.policy.checkpoint.Sha256Manifest;
import ai.collectiveagency.policy.training.StepResult;
import ai.collectiveagency.policy.training.TrainingBatch;
import ai.collectiveagency.schemas.EvalResult;
import ai.collectiveagency.schemas.PolicyCheckpoint;
import ai.collectiveagency.schemas.ScoredGroup;
import ai.collectiveagency.schemas.Trajectory;
import ai.collectiveagency.schemas.TrainingMetrics;
import ai.collectiveagency.schemas.kafka.ScoredGroupDeserializer;
import ai.collectiveagency.schemas.signing.CheckpointSigner;
import ai.collectiveagency.trainer.batching.ExampleBuilder;
import ai.collectiveagency.trainer.batching.MicroBatches;
import ai.collectiveagency.trainer.batching.RoleBaselines;
import ai.collectiveagency.trainer.batching.TrainingRow;
import ai.collectiveagency.trainer.checkpoint.BaseModel;
import ai.collectiveagency.trainer.checkpoint.CheckpointDirectory;
import ai.collectiveagency.trainer.checkpoint.TrainerState;
import ai.collectiveagency.trainer.config.TrainerConfig;
import ai.collectiveagency.trainer.evaluation.HeldOutEvaluation;
import ai.collectiveagency.trainer.evaluation.Moments;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * GRPO from the stream. Reads the scored topic from the offsets of its latest checkpoint (or
 * the beginning), gathers {@code groups-per-step} groups, takes one step, and every
 * {@code checkpoint-every} steps (and when stopped) writes a checkpoint — weights, optimizer
 * state, offsets, ledger — and announces it on the checkpoints topic, signed with the trainer's
 * key and carrying the base model's identity. A crash between two
 * checkpoints re-trains only what came after the last one, from the same state: the records are
 * read again in the same order, so the steps come out the same.
 *
 * <p>A group sampled more than {@code max-staleness} versions behind is dropped and counted;
 * within the bound the ratio to the recorded behaviour log-probs corrects for the lag. A record
 * that does not decode, or whose tokens this model cannot take (ids outside its vocabulary,
 * turns beyond its context), goes to the scored topic's DLQ with the reason. (The deserializer
 * checks the contract's invariants, so a group lacking a score is undecodable.)
 *
 * <p>A group whose task is held out is never trained on: it is evaluated instead
 * ({@link HeldOutEvaluation}), its {@code EvalResult} sent on the metrics topic beside the step
 * metrics, and it is done at once, so it holds back no offset, and it enters the checkpoint's
 * ledger among the held-out groups. Staleness and fit do not apply to it: it runs through no
 * model, and an old version's held-out reward is still a fact about that version.
 */
public final class TrainerLoop implements Runnable {

    private static final System.Logger LOG = System.getLogger(TrainerLoop.class.getName());
    private static final Duration POLL = Duration.ofMillis(200);

    private final TrainerConfig config;
    private final BaseModel baseModel;
    private final CheckpointSigner signer;
    private final CheckpointDirectory store;
    private final Consumer<String, byte[]> consumer;
    private final Producer<String, PolicyCheckpoint> checkpoints;
    /** Step metrics and held-out evaluations, both on the metrics topic. */
    private final Producer<String, SpecificRecord> metrics;
    private final Producer<String, byte[]> deadLetters;
    private final StepListener listener;
    private final Clock clock;
    private final ScoredGroupDeserializer deserializer = new ScoredGroupDeserializer();
    private final RoleBaselines roles = new RoleBaselines();
    private final OffsetTracker offsets = new OffsetTracker();
    private final List<Waiting> waiting = new ArrayList<>();
    private final List<TrainerState.StepRecord> ledger = new ArrayList<>();
    private final List<ReadAt<TrainerState.Dropped>> dropped = new ArrayList<>();
    private final List<ReadAt<TrainerState.HeldOut>> heldOut = new ArrayList<>();
    private PolicyUnderTraining model;
    private long step;
    private long version;
    private long checkpointedStep;
    private volatile boolean running = true;
    /** When the last step ended (or the loop started): the wait for groups counts from here. */
    private long lastStepEnded = System.nanoTime();
    private double lastCheckpointSeconds;

    /**
     * @param baseModel the base model's name and identity, recorded in every checkpoint
     * @param signer signs every checkpoint announcement (replicas refuse unsigned ones)
     */
    public TrainerLoop(TrainerConfig config, BaseModel baseModel, CheckpointSigner signer,
            Consumer<String, byte[]> consumer, Producer<String, PolicyCheckpoint> checkpoints,
            Producer<String, SpecificRecord> metrics, Producer<String, byte[]> deadLetters,
            StepListener listener, Clock clock, Map<String, ?> serdeConfig) {
        this.config = config;
        this.baseModel = baseModel;
        this.signer = signer;
        this.store = new CheckpointDirectory(config.store());
        this.consumer = consumer;
        this.checkpoints = checkpoints;
        this.metrics = metrics;
        this.deadLetters = deadLetters;
        this.listener = listener;
        this.clock = clock;
        this.deserializer.configure(serdeConfig, false);
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
        resume();
        try {
            while (running && (config.maxSteps() == 0 || step < config.maxSteps())) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    handle(record);
                    if (!running || config.maxSteps() > 0 && step >= config.maxSteps()) {
                        break;
                    }
                }
            }
            if (step > checkpointedStep) {
                checkpoint();
            }
        } finally {
            model.close();
        }
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
        model = latest.map(folder -> PolicyUnderTraining.resume(config, folder))
                .orElseGet(() -> PolicyUnderTraining.fresh(config));
        step = state.step();
        version = state.version();
        checkpointedStep = step;
        ledger.addAll(state.ledger());
        state.dropped().forEach(d -> dropped.add(new ReadAt<>(d, null, 0)));
        state.heldOut().forEach(h -> heldOut.add(new ReadAt<>(h, null, 0)));
        Map<RoleBaselines.Role, Double> baselines = new HashMap<>();
        state.roleBaselines().forEach((role, value) ->
                baselines.put(RoleBaselines.Role.valueOf(role), value));
        roles.restore(baselines);
        List<TopicPartition> partitions = scoredPartitions();
        consumer.assign(partitions);
        Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(partitions);
        for (TopicPartition partition : partitions) {
            Long saved = state.consumedOffsets().get(key(partition));
            long next = saved != null ? saved : beginnings.get(partition);
            consumer.seek(partition, next);
            offsets.start(partition, next);
        }
        if (latest.isPresent()) {
            LOG.log(System.Logger.Level.INFO, "resumed from " + latest.get() + " at step " + step
                    + ", version " + version + ", offsets " + state.consumedOffsets());
            announce(latest.get(), state, Map.of());
        }
    }

    /**
     * The scored topic's partitions; waits (until stopped) while the topic does not exist or the
     * broker cannot be reached.
     */
    private List<TopicPartition> scoredPartitions() {
        List<TopicPartition> partitions = new ArrayList<>();
        while (partitions.isEmpty() && running) {
            List<PartitionInfo> infos;
            try {
                infos = consumer.partitionsFor(config.topics().scored());
            } catch (TimeoutException e) {
                // Retriable: the broker is not reachable (yet); keep waiting, as for the topic.
                infos = List.of();
            }
            for (PartitionInfo info : infos == null ? List.<PartitionInfo>of() : infos) {
                partitions.add(new TopicPartition(info.topic(), info.partition()));
            }
            if (partitions.isEmpty()) {
                LOG.log(System.Logger.Level.INFO, "waiting for topic "
                        + config.topics().scored() + " on the broker");
                sleep(POLL.multipliedBy(5));
            }
        }
        return partitions;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the scored topic", e);
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        ScoredGroup group;
        try {
            group = deserializer.deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            deadLetter(record, e);
            drop(partition, record.offset(), String.valueOf(record.key()), "undecodable", 0);
            return;
        }
        if (group.getGroup().getTask().getHeldOut()) {
            evaluate(partition, record.offset(), group);
            return;
        }
        Optional<String> unfit = model.unfit(group.getGroup());
        if (unfit.isPresent()) {
            deadLetter(record, new IllegalArgumentException(unfit.get()));
            drop(partition, record.offset(), group.getGroup().getTask().getTaskId(), "unfit", 0);
            return;
        }
        long behaviour = group.getGroup().getTrajectories().stream()
                .mapToLong(Trajectory::getPolicyVersion).min().orElse(version);
        long staleness = version - behaviour;
        String taskId = group.getGroup().getTask().getTaskId();
        if (staleness > config.maxStaleness()) {
            drop(partition, record.offset(), taskId, "stale", staleness);
            return;
        }
        listener.used(staleness);
        offsets.waiting(partition, record.offset());
        waiting.add(new Waiting(group, staleness));
        if (waiting.size() >= config.groupsPerStep()) {
            takeStep();
        }
    }

    private void takeStep() {
        long started = System.nanoTime();
        double waited = (started - lastStepEnded) / 1e9;
        ExampleBuilder builder = new ExampleBuilder(config.segments(), config.personas(),
                config.baseline(), roles);
        List<TrainingRow> rows = new ArrayList<>();
        List<String> taskIds = new ArrayList<>();
        for (Waiting w : waiting) {
            rows.addAll(builder.rows(w.group()));
            taskIds.add(w.group().getGroup().getTask().getTaskId());
        }
        if (rows.isEmpty()) {
            // Nothing to learn from (every turn filtered out): the groups are done, unlearnt.
            taskIds.forEach(id -> dropped.add(new ReadAt<>(
                    new TrainerState.Dropped(id, "no_tokens"), null, 0)));
            listener.dropped("no_tokens", 0);
            waiting.clear();
            offsets.stepTaken();
            return;
        }
        List<TrainingBatch> microBatches = MicroBatches.pack(rows, config.microBatchRows());
        long training = System.nanoTime();
        StepResult result = model.step(microBatches);
        double trained = (System.nanoTime() - training) / 1e9;
        step++;
        ledger.add(new TrainerState.StepRecord(step, taskIds));
        Map<String, Double> values = stepMetrics(result, rows,
                (System.nanoTime() - started) / 1e9);
        values.put("wait_seconds", waited);
        values.put("train_seconds", trained);
        values.put("checkpoint_seconds", lastCheckpointSeconds);
        waiting.clear();
        offsets.stepTaken();
        metrics.send(new ProducerRecord<>(config.topics().metrics(), "trainer",
                TrainingMetrics.newBuilder().setStep(step).setPolicyVersion(version)
                        .setRecordedAt(now()).setMetrics(values).build()));
        listener.stepped(step, version, values);
        if (step % config.checkpointEvery() == 0) {
            checkpoint();
        }
        lastStepEnded = System.nanoTime();
    }

    private Map<String, Double> stepMetrics(StepResult result, List<TrainingRow> rows,
            double seconds) {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("loss", result.loss());
        values.put("grad_norm", result.gradNorm());
        values.put("learning_rate", result.learningRate());
        values.put("kl", result.meanKl());
        values.put("clip_fraction", result.clipFraction());
        values.put("entropy", result.entropy());
        values.put("tokens", (double) result.tokens());
        values.put("skipped", result.skipped() ? 1.0 : 0.0);
        values.put("step_seconds", seconds);
        Moments rewards = Moments.of(waiting.stream()
                .flatMap(w -> w.group().getScores().stream())
                .filter(s -> !s.getUnscorable() && s.getReward() != null)
                .mapToDouble(s -> s.getReward()).toArray());
        values.put("reward_mean", rewards.mean());
        values.put("reward_std", rewards.std());
        Moments advantages = Moments.of(rows.stream().mapToDouble(TrainingRow::advantage)
                .toArray());
        values.put("advantage_mean", advantages.mean());
        values.put("advantage_std", advantages.std());
        values.put("staleness_mean", waiting.stream().mapToLong(Waiting::staleness).average()
                .orElse(0));
        long nowMillis = clock.millis();
        values.put("group_age_seconds", waiting.stream().mapToLong(w ->
                nowMillis - w.group().getGroup().getCreatedAt().toEpochMilli()).average()
                .orElse(0) / 1000.0);
        values.put("groups", (double) waiting.size());
        return values;
    }

    private void checkpoint() {
        long started = System.nanoTime();
        version++;
        Map<String, Double> roleState = new HashMap<>();
        roles.snapshot().forEach((role, value) -> roleState.put(role.name(), value));
        TrainerState state = new TrainerState(step, version, baseModel.name(),
                baseModel.sha256(), offsets.committable(), roleState, ledger, settled(dropped),
                settled(heldOut));
        Path folder = store.write(version, partial -> {
            model.saveInto(partial, baseModel.name());
            state.write(partial);
        });
        checkpointedStep = step;
        announce(folder, state, Map.of("step", (double) step));
        double seconds = (System.nanoTime() - started) / 1e9;
        lastCheckpointSeconds = seconds;
        listener.checkpointed(version, seconds);
        LOG.log(System.Logger.Level.INFO, "checkpoint v" + version + " (step " + step + ") at "
                + folder + " in " + String.format("%.2f", seconds) + " s");
    }

    /**
     * The entries whose records a restart from this checkpoint will not read again: only those
     * go into it, or a record read again after a restart would be in the ledger twice.
     */
    private <T> List<T> settled(List<ReadAt<T>> entries) {
        return entries.stream().filter(e -> e.partition() == null
                || e.offset() < offsets.next(e.partition())).map(ReadAt::entry).toList();
    }

    /** Announces a written checkpoint, signed, keyed by the base model's name. */
    private void announce(Path folder, TrainerState state, Map<String, Double> values) {
        PolicyCheckpoint record = signer.sign(PolicyCheckpoint.newBuilder()
                .setVersion(state.version())
                .setStep(state.step())
                .setUri(folder.toUri().toString())
                .setSha256(Sha256Manifest.digest(folder))
                .setFormat(model.format())
                .setBaseModel(baseModel.name())
                .setBaseModelSha256(baseModel.sha256())
                .setCreatedAt(now())
                .setMetrics(values)
                .setConsumedOffsets(state.consumedOffsets())
                .build());
        try {
            checkpoints.send(new ProducerRecord<>(config.topics().checkpoints(), baseModel.name(),
                    record)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while announcing " + folder, e);
        } catch (ExecutionException e) {
            // The folder is in the store; the next start announces the latest one again.
            LOG.log(System.Logger.Level.ERROR, "could not announce checkpoint " + folder, e);
        }
    }

    private void drop(TopicPartition partition, long offset, String taskId, String reason,
            long staleness) {
        offsets.done(partition, offset);
        dropped.add(new ReadAt<>(new TrainerState.Dropped(taskId, reason), partition, offset));
        listener.dropped(reason, staleness);
    }

    /**
     * Publishes the evaluation of a held-out group and marks its record done. The send is
     * awaited so that a checkpoint never counts as done a group whose result is not on the
     * broker; a failed send stops the loop (a restart evaluates the group again), so each
     * held-out group's result is published at least once.
     */
    private void evaluate(TopicPartition partition, long offset, ScoredGroup group) {
        String taskId = group.getGroup().getTask().getTaskId();
        EvalResult result = HeldOutEvaluation.of(group, step, now());
        try {
            metrics.send(new ProducerRecord<>(config.topics().metrics(), taskId, result)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing the evaluation of "
                    + taskId, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not publish the evaluation of held-out "
                    + "group " + taskId, e.getCause());
        }
        offsets.done(partition, offset);
        heldOut.add(new ReadAt<>(new TrainerState.HeldOut(taskId, result.getPolicyVersion()),
                partition, offset));
        listener.heldOut(result.getPolicyVersion(), result.getMetrics());
    }

    private void deadLetter(ConsumerRecord<String, byte[]> record, RuntimeException cause) {
        ProducerRecord<String, byte[]> out = new ProducerRecord<>(
                config.topics().scoredDeadLetters(), record.key(), record.value());
        out.headers().add("dead-letter-reason", String.valueOf(cause.getMessage())
                .getBytes(StandardCharsets.UTF_8));
        out.headers().add("dead-letter-topic", record.topic().getBytes(StandardCharsets.UTF_8));
        out.headers().add("dead-letter-partition",
                String.valueOf(record.partition()).getBytes(StandardCharsets.UTF_8));
        out.headers().add("dead-letter-offset",
                String.valueOf(record.offset()).getBytes(StandardCharsets.UTF_8));
        deadLetters.send(out);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static String key(TopicPartition partition) {
        return partition.topic() + "-" + partition.partition();
    }

    /** A group waiting for the step being gathered. */
    private record Waiting(ScoredGroup group, long staleness) {
    }

    /**
     * A ledger entry for a record that was done without a step (dropped or evaluated) and where
     * it was read (partition null: settled in an earlier run).
     */
    private record ReadAt<T>(T entry, TopicPartition partition, long offset) {
    }
}
