package ai.collectiveagency.trainer.loop;

import ai.collectiveagency.policy.grpo.LossAggregation;
import ai.collectiveagency.policy.training.StepResult;
import ai.collectiveagency.policy.training.TrainingBatch;
import ai.collectiveagency.schemas.kafka.RecordFailure;
import ai.collectiveagency.trainer.batching.ExampleBuilder;
import ai.collectiveagency.trainer.batching.MicroBatches;
import ai.collectiveagency.trainer.batching.RoleBaselines;
import ai.collectiveagency.trainer.batching.SharedPrefixes;
import ai.collectiveagency.trainer.batching.TrainingRow;
import ai.collectiveagency.trainer.batching.TrainingSequence;
import ai.collectiveagency.trainer.config.TrainerConfig;
import ai.collectiveagency.trainer.evaluation.GroupOutcomes;
import ai.collectiveagency.trainer.evaluation.Moments;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One optimiser step on the model under training: groups in, the step's metrics out. A step
 * that throws is not the end of the run. Each group is then scored alone, forward only (no
 * gradient, no update); those that throw are handed back to be quarantined, and the rest wait
 * for a full step again. When none throws alone the step is tried once more (the fault may have
 * passed), and when it fails again every group is handed back: a step that cannot be taken is
 * never retried for ever. A failure inside the optimizer update itself, or of the JVM, stops
 * the loop: only a resume from the last checkpoint repairs the weights.
 */
public final class TrainingStep implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(TrainingStep.class.getName());

    private final TrainerConfig config;
    private final PolicyUnderTraining model;
    private final RoleBaselines roles;
    private final Clock clock;

    /** What a step came to. */
    public sealed interface Outcome permits Taken, NothingToLearn, Refused {
    }

    /** The step was taken; {@code metrics} as sent to the metrics topic (less the loop's own). */
    public record Taken(Map<String, Double> metrics) implements Outcome {
    }

    /** Every turn of the groups was filtered out (segments, personas): no step was taken. */
    public record NothingToLearn() implements Outcome {
    }

    /** The step could not be taken; {@code groups} to quarantine, each with the reason. */
    public record Refused(Map<WaitingGroup, String> groups) implements Outcome {
    }

    /** @param roles the running role baselines, saved in checkpoints by the caller */
    public TrainingStep(TrainerConfig config, PolicyUnderTraining model, RoleBaselines roles,
            Clock clock) {
        this.config = config;
        this.model = model;
        this.roles = roles;
        this.clock = clock;
    }

    public PolicyUnderTraining model() {
        return model;
    }

    /**
     * Takes one step on {@code groups}.
     *
     * @param withoutSignal the groups settled without training since the step before
     *     ({@code trainer.dynamic-sampling}): in the step's outcome figures, not in its loss
     */
    public Outcome take(List<WaitingGroup> groups, GroupOutcomes withoutSignal) {
        long started = System.nanoTime();
        Map<RoleBaselines.Role, Double> baselines = roles.snapshot();
        RuntimeException first;
        try {
            return attempt(groups, withoutSignal, started);
        } catch (RuntimeException | Error e) {
            first = rethrowIfFatal(e);
            roles.restore(baselines);
        }
        LOG.log(System.Logger.Level.WARNING, "a step on " + groups.size() + " groups failed; "
                + "scoring each alone to find the culprit", first);
        Map<WaitingGroup, String> culprits = culprits(groups);
        if (!culprits.isEmpty()) {
            return new Refused(culprits);
        }
        try {
            return attempt(groups, withoutSignal, started);
        } catch (RuntimeException | Error e) {
            RuntimeException again = rethrowIfFatal(e);
            roles.restore(baselines);
            Map<WaitingGroup, String> all = new LinkedHashMap<>();
            groups.forEach(g -> all.put(g, "quarantined: a step on these " + groups.size()
                    + " groups failed twice and none fails alone: " + describe(again)));
            return new Refused(all);
        }
    }

    private Outcome attempt(List<WaitingGroup> groups, GroupOutcomes withoutSignal,
            long started) {
        List<TrainingRow> rows = new ArrayList<>();
        ExampleBuilder builder = builder();
        for (WaitingGroup waiting : groups) {
            rows.addAll(builder.rows(waiting.group()));
        }
        if (rows.isEmpty()) {
            return new NothingToLearn();
        }
        List<TrainingSequence> sequences = sequences(rows);
        List<TrainingBatch> microBatches = MicroBatches.pack(sequences, config.microBatchRows());
        long training = System.nanoTime();
        StepResult result = model.step(microBatches);
        double trained = (System.nanoTime() - training) / 1e9;
        Map<String, Double> values = metrics(result, groups, withoutSignal, rows);
        values.put("sequences", (double) sequences.size());
        values.put("step_seconds", (System.nanoTime() - started) / 1e9);
        values.put("train_seconds", trained);
        return new Taken(values);
    }

    /** The groups whose rows cannot be built or scored alone, each with the reason. */
    private Map<WaitingGroup, String> culprits(List<WaitingGroup> groups) {
        Map<WaitingGroup, String> culprits = new LinkedHashMap<>();
        for (WaitingGroup waiting : groups) {
            Map<RoleBaselines.Role, Double> baselines = roles.snapshot();
            try {
                List<TrainingRow> rows = builder().rows(waiting.group());
                if (!rows.isEmpty()) {
                    model.scoreOnly(MicroBatches.pack(sequences(rows), config.microBatchRows()));
                }
            } catch (RuntimeException | Error e) {
                rethrowIfFatal(e);
                culprits.put(waiting, "quarantined: a step failed and this group fails alone: "
                        + describe(e));
            } finally {
                roles.restore(baselines);
            }
        }
        return culprits;
    }

    /** The rows as sequences, turns of one context merged where the loss allows it. */
    private List<TrainingSequence> sequences(List<TrainingRow> rows) {
        return config.aggregation() == LossAggregation.DAPO ? SharedPrefixes.merge(rows)
                : SharedPrefixes.separate(rows);
    }

    private ExampleBuilder builder() {
        return new ExampleBuilder(config.segments(), config.personas(), config.baseline(),
                roles, config.trainThoughts());
    }

    private Map<String, Double> metrics(StepResult result, List<WaitingGroup> groups,
            GroupOutcomes withoutSignal, List<TrainingRow> rows) {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("loss", result.loss());
        values.put("grad_norm", result.gradNorm());
        values.put("learning_rate", result.learningRate());
        values.put("kl", result.meanKl());
        values.put("clip_fraction", result.clipFraction());
        values.put("entropy", result.entropy());
        values.put("tokens", (double) result.tokens());
        values.put("skipped", result.skipped() ? 1.0 : 0.0);
        GroupOutcomes read = withoutSignal;
        for (WaitingGroup waiting : groups) {
            read = read.plus(waiting.group());
        }
        values.putAll(read.figures());
        Moments advantages = Moments.of(rows.stream().mapToDouble(TrainingRow::advantage)
                .toArray());
        values.put("advantage_mean", advantages.mean());
        values.put("advantage_std", advantages.std());
        values.put("staleness_mean", groups.stream().mapToLong(WaitingGroup::staleness)
                .average().orElse(0));
        long nowMillis = clock.millis();
        values.put("group_age_seconds", groups.stream().mapToLong(w ->
                nowMillis - w.group().getGroup().getCreatedAt().toEpochMilli()).average()
                .orElse(0) / 1000.0);
        values.put("groups", (double) groups.size());
        values.put("groups_without_signal", (double) withoutSignal.groups());
        return values;
    }

    /**
     * A failure of the JVM or inside the optimizer update is thrown on; any other is returned,
     * as a RuntimeException, for the caller to handle.
     */
    private static RuntimeException rethrowIfFatal(Throwable failure) {
        if (failure instanceof PolicyUnderTraining.IncompleteUpdateException incomplete) {
            throw incomplete;
        }
        if (failure instanceof Error error && RecordFailure.of(error) == RecordFailure.FATAL) {
            throw error;
        }
        return failure instanceof RuntimeException runtime ? runtime
                : new IllegalStateException(failure);
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure instanceof IllegalStateException && failure.getCause() != null
                && failure.getMessage() != null && failure.getMessage().equals(
                        failure.getCause().toString()) ? failure.getCause() : failure;
        return cause.getClass().getName() + (cause.getMessage() == null ? ""
                : ": " + cause.getMessage());
    }

    @Override
    public void close() {
        model.close();
    }
}
