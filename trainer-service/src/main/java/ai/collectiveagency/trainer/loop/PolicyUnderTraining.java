package ai.collectiveagency.trainer.loop;

import ai.collectiveagency.policy.checkpoint.AdapterCheckpoint;
import ai.collectiveagency.policy.checkpoint.ModelCheckpoint;
import ai.collectiveagency.policy.grpo.GrpoConfig;
import ai.collectiveagency.policy.grpo.RewardScaling;
import ai.collectiveagency.policy.lora.LoraAdapter;
import ai.collectiveagency.policy.lora.LoraConfig;
import ai.collectiveagency.policy.lora.PeftAdapterFiles;
import ai.collectiveagency.policy.model.Llama;
import ai.collectiveagency.policy.optim.AdamW;
import ai.collectiveagency.policy.optim.AdamWConfig;
import ai.collectiveagency.policy.optim.ScheduleConfig;
import ai.collectiveagency.policy.scoring.TokenScorer;
import ai.collectiveagency.policy.training.GrpoTrainer;
import ai.collectiveagency.policy.training.StepResult;
import ai.collectiveagency.policy.training.TrainingBatch;
import ai.collectiveagency.schemas.CheckpointFormat;
import ai.collectiveagency.schemas.RolloutGroup;
import ai.collectiveagency.schemas.Trajectory;
import ai.collectiveagency.schemas.Turn;
import ai.collectiveagency.trainer.config.TrainerConfig;
import ai.djl.ndarray.NDArray;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The model being trained with its optimizer: a LoRA adapter on the frozen base (the base is
 * the KL reference), or all weights (a frozen copy of the base is the reference when beta > 0).
 * Starts fresh from the base model or resumes from a checkpoint folder (weights and the exact
 * optimizer state), and saves both into a folder: PEFT adapter files or a Hugging Face model
 * folder, plus {@code optimizer/}.
 */
public final class PolicyUnderTraining implements AutoCloseable {

    /** The optimizer state's folder inside a checkpoint. */
    public static final String OPTIMIZER_FOLDER = "optimizer";

    private final TrainerConfig config;
    private final Path baseFolder;
    private final Llama model;
    private final LoraAdapter adapter; // null in full mode
    private final Llama reference; // null unless full mode with beta > 0
    private final AdamW optimizer;
    private final GrpoTrainer trainer;

    private PolicyUnderTraining(TrainerConfig config, Path baseFolder, Llama model,
            LoraAdapter adapter, Llama reference, AdamW optimizer) {
        this.config = config;
        this.baseFolder = baseFolder;
        this.model = model;
        this.adapter = adapter;
        this.reference = reference;
        this.optimizer = optimizer;
        this.trainer = new GrpoTrainer(model, reference, grpo(config), optimizer,
                config.maxGradNorm());
    }

    /** The base model with a new adapter (LoRA) or all weights trainable (full). */
    public static PolicyUnderTraining fresh(TrainerConfig config) {
        return open(config, null);
    }

    /** Weights and optimizer state from {@code checkpoint}, as saved by {@link #saveInto}. */
    public static PolicyUnderTraining resume(TrainerConfig config, Path checkpoint) {
        return open(config, checkpoint);
    }

    private static PolicyUnderTraining open(TrainerConfig config, Path checkpoint) {
        Path base = config.model();
        if (config.mode() == TrainerConfig.Mode.LORA) {
            Llama model = Llama.load(base);
            LoraAdapter adapter = checkpoint == null
                    ? LoraAdapter.initialize(model, new LoraConfig(config.lora().rank(),
                            config.lora().alpha(), 0, config.lora().targetModules(),
                            config.lora().seed()))
                    : PeftAdapterFiles.load(checkpoint, model);
            model.setAdapter(adapter);
            adapter.setTrainable(true);
            return new PolicyUnderTraining(config, base, model, adapter, null,
                    optimizer(config, adapter.parameters(), checkpoint));
        }
        Llama model = Llama.load(checkpoint == null ? base : checkpoint);
        model.parameters().setTrainable(true);
        Llama reference = config.beta() > 0 ? Llama.load(base) : null;
        return new PolicyUnderTraining(config, base, model, null, reference,
                optimizer(config, model.parameters().asMap(), checkpoint));
    }

    private static AdamW optimizer(TrainerConfig config, Map<String, NDArray> parameters,
            Path checkpoint) {
        if (checkpoint != null) {
            try {
                return AdamW.restore(checkpoint.resolve(OPTIMIZER_FOLDER), parameters);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot restore the optimizer from "
                        + checkpoint.resolve(OPTIMIZER_FOLDER), e);
            }
        }
        ScheduleConfig schedule = config.warmupSteps() > 0
                ? new ScheduleConfig(ScheduleConfig.Kind.WARMUP_CONSTANT, config.warmupSteps(),
                        config.warmupSteps())
                : ScheduleConfig.constant();
        return new AdamW(parameters, new AdamWConfig(config.learningRate(), 0.9, 0.999, 1e-8,
                config.weightDecay()), schedule);
    }

    private static GrpoConfig grpo(TrainerConfig config) {
        return new GrpoConfig(config.beta(), config.epsilonLow(), config.epsilonHigh(),
                config.aggregation(), config.maxCompletionLength(), RewardScaling.GROUP);
    }

    /**
     * One optimiser step over the micro-batches. A step that fails before the optimizer update
     * leaves nothing behind (the gradients it accumulated are zeroed), so it can be retried; one
     * that fails inside the update has changed some weights and moments and not others, and
     * throws {@link IncompleteUpdateException}: only a resume from a checkpoint repairs that.
     */
    public StepResult step(List<TrainingBatch> microBatches) {
        int updates = optimizer.stepCount();
        try {
            return trainer.step(microBatches);
        } catch (RuntimeException | Error e) {
            if (optimizer.stepCount() != updates) {
                throw new IncompleteUpdateException(e);
            }
            optimizer.zeroGradients();
            throw e;
        }
    }

    /**
     * Runs the forward pass of a step over the micro-batches, without gradients and without an
     * update: the way to find, alone, a group on which a step throws.
     */
    public void scoreOnly(List<TrainingBatch> microBatches) {
        TokenScorer scorer = new TokenScorer(model);
        for (TrainingBatch batch : microBatches) {
            scorer.logprobs(batch.tokens(), batch.attention());
        }
    }

    /** The optimizer update failed halfway: the weights in memory cannot be trained on. */
    public static final class IncompleteUpdateException extends IllegalStateException {
        IncompleteUpdateException(Throwable cause) {
            super("the optimizer update failed halfway (weights and moments now disagree); "
                    + "resume from the last checkpoint", cause);
        }
    }

    /**
     * Why a group's turns cannot be trained on by this model (a token id outside the vocabulary,
     * a turn longer than the context), or empty when they can.
     */
    public Optional<String> unfit(RolloutGroup group) {
        int vocab = model.config().vocabSize();
        int positions = model.config().maxPositions();
        for (Trajectory trajectory : group.getTrajectories()) {
            for (Turn turn : trajectory.getTurns()) {
                int length = turn.getPromptTokenIds().size() + turn.getCompletionTokenIds().size();
                if (length > positions) {
                    return Optional.of("turn of " + length + " tokens exceeds the "
                            + "model's " + positions + " positions");
                }
                for (List<Integer> ids : List.of(turn.getPromptTokenIds(),
                        turn.getCompletionTokenIds())) {
                    for (int id : ids) {
                        if (id < 0 || id >= vocab) {
                            return Optional.of("token id " + id + " outside the "
                                    + "model's vocabulary of " + vocab + " (another model?)");
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }

    public CheckpointFormat format() {
        return formatOf(config);
    }

    /** What {@code config} trains: an adapter, or all weights. */
    public static CheckpointFormat formatOf(TrainerConfig config) {
        return config.mode() == TrainerConfig.Mode.LORA ? CheckpointFormat.LORA
                : CheckpointFormat.FULL;
    }

    /** Saves the weights (adapter or full) and the optimizer state into an empty folder. */
    public void saveInto(Path folder, String baseModel) {
        if (adapter != null) {
            AdapterCheckpoint.save(adapter, folder, baseModel);
        } else {
            ModelCheckpoint.save(folder, model.config(), model.parameters(), baseFolder);
        }
        try {
            optimizer.save(folder.resolve(OPTIMIZER_FOLDER));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the optimizer into " + folder, e);
        }
    }

    /** The trained arrays by name (the adapter's, or every weight), for comparisons. */
    public Map<String, NDArray> trainedParameters() {
        return adapter != null ? adapter.parameters() : model.parameters().asMap();
    }

    @Override
    public void close() {
        optimizer.close();
        if (adapter != null) {
            adapter.close();
        }
        if (reference != null) {
            reference.close();
        }
        model.close();
    }
}
