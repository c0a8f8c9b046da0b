package ai.collectiveagency.trainer.config;

import ai.collectiveagency.policy.grpo.LossAggregation;
import ai.collectiveagency.trainer.batching.Baseline;
import ai.collectiveagency.trainer.batching.Personas;
import ai.collectiveagency.trainer.batching.Segments;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The trainer-service's settings, keys under {@code trainer.} in {@code application.properties},
 * each overridable by environment variable (e.g. {@code TRAINER_LEARNING_RATE=1e-5}). Defaults
 * follow the negotiation research: G=8 is the rollout's, beta 0, token-level {@code dapo}
 * normalisation, learning rate 5e-6 for LoRA, gradients on the dialogue turns.
 * {@link TrainerConfigChecks} rejects settings that cannot work, naming the key.
 */
@ConfigMapping(prefix = "trainer")
public interface TrainerConfig {

    /** The base model, a Hugging Face folder: the same one the rollout-service serves. */
    Path model();

    /** Name of the base model in checkpoints; default: config.json's name or the folder's. */
    Optional<String> modelName();

    /** {@code lora}: train a LoRA adapter (the base is the KL reference); {@code full}: all weights. */
    @WithDefault("lora")
    Mode mode();

    /** LoRA settings ({@code mode=lora}). */
    Lora lora();

    /** Peak learning rate. */
    @WithDefault("5e-6")
    double learningRate();

    /** AdamW's decoupled weight decay. */
    @WithDefault("0.0")
    double weightDecay();

    /** Linear warm-up steps before the constant rate. */
    @WithDefault("0")
    int warmupSteps();

    /** KL coefficient against the reference (0: no reference pass). */
    @WithDefault("0.0")
    double beta();

    /** Lower clip range of the ratio. */
    @WithDefault("0.2")
    double epsilonLow();

    /** Upper clip range of the ratio (DAPO's clip-higher). */
    @WithDefault("0.28")
    double epsilonHigh();

    /** How token losses are reduced: grpo, bnpo, dr_grpo or dapo. */
    @WithDefault("dapo")
    LossAggregation aggregation();

    /** The rollout's generation budget per turn (the denominator of dr_grpo). */
    @WithDefault("256")
    int maxCompletionLength();

    /** Global gradient-norm clipping threshold. */
    @WithDefault("1.0")
    double maxGradNorm();

    /** Scored groups per optimiser step (B). */
    @WithDefault("4")
    int groupsPerStep();

    /** Sequences (turns) per forward/backward pass; gradients accumulate over a step's passes. */
    @WithDefault("8")
    int microBatchRows();

    /** Which generated tokens get gradients: dialogue turns, the resolution, or both. */
    @WithDefault("dialogue")
    Segments segments();

    /** Whose turns get gradients: persona A's, B's, or both. */
    @WithDefault("both")
    Personas personas();

    /**
     * Whether a persona's private thoughts ({@code THOUGHTS_A/B}, from
     * {@code rollout.reasoning=async}) get gradients too, for the personas selected; by default
     * they are left out of the loss.
     */
    @WithDefault("false")
    boolean trainThoughts();

    /** group: GRPO's group baseline; role: a running baseline per persona role. */
    @WithDefault("group")
    Baseline baseline();

    /**
     * DAPO's dynamic sampling: a group whose rewards are all equal (fewer than two rewards
     * included) is settled without training, recorded {@code no_signal} in the ledger, and does
     * not count toward {@code groups-per-step}; every step is then made of groups that move the
     * policy. A step of such groups alone carries no gradient, yet AdamW's momentum would still
     * move the weights. Under {@code baseline=role} or {@code beta > 0} such a group would have
     * carried a running-baseline advantage or the KL term; it is left out all the same.
     */
    @WithDefault("true")
    boolean dynamicSampling();

    /** Groups sampled more than this many versions behind the trainer's are dropped. */
    @WithDefault("4")
    int maxStaleness();

    /** A checkpoint every this many steps (and on shutdown). */
    @WithDefault("5")
    int checkpointEvery();

    /**
     * A checkpoint also after this many groups settled without a step since the last one (held
     * out, or without signal under {@code dynamic-sampling}): a run that stops stepping, as one
     * whose every group scores alike does, still bounds what it holds in memory until the next
     * checkpoint and what a restart reads again. Such a checkpoint has the weights of the one
     * before, under a new version.
     */
    @WithDefault("1000")
    int checkpointEverySettled();

    /** The checkpoint store: a directory (a shared volume in Kubernetes). */
    @WithDefault("runs/checkpoints")
    Path store();

    /** How many checkpoints the store keeps, keys under {@code trainer.checkpoints.}. */
    Checkpoints checkpoints();

    /** Steps after which the trainer stops (with a checkpoint); 0: no end. */
    @WithDefault("0")
    long maxSteps();

    /**
     * Whether the process exits (status 0) once {@code max-steps} are taken and the last
     * checkpoint is written, as a batch job would; false: it stays up (health, metrics) idle.
     */
    @WithDefault("true")
    boolean exitAtMaxSteps();

    /** Topic names. */
    Topics topics();

    /** The duplicate check of scored groups. */
    Dedup dedup();

    /** The training loop's liveness. */
    Health health();

    /** How checkpoint announcements are signed. */
    Signing signing();

    /** {@code lora} or {@code full}. */
    enum Mode {
        LORA, FULL
    }

    /** LoRA settings, keys under {@code trainer.lora.}. */
    interface Lora {

        @WithDefault("16")
        int rank();

        @WithDefault("32")
        double alpha();

        /** Projections that get an adapter. */
        @WithDefault("q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj")
        List<String> targetModules();

        /** Seeds the random initialisation of the A matrices. */
        @WithDefault("0")
        long seed();
    }

    /**
     * Checkpoint retention, keys under {@code trainer.checkpoints.}: after each checkpoint the
     * store keeps the newest {@link #keep()} versions, the versions rollout replicas lease
     * (serve or load), and the pinned ones; the rest are deleted ({@code CheckpointRetention}).
     */
    interface Checkpoints {

        /** The newest versions kept, at least 1. */
        @WithDefault("5")
        int keep();

        /**
         * Versions never deleted, comma-separated (e.g. the ones an evaluation refers to); the
         * store's {@code PINNED} file adds more without a restart.
         */
        Optional<List<Long>> pinned();
    }

    /** Checkpoint signing, keys under {@code trainer.signing.}. */
    interface Signing {

        /**
         * The Ed25519 private key (PKCS#8 PEM, unencrypted; a Secret mounted as a file) that
         * signs every checkpoint announcement; required.
         */
        Optional<Path> privateKey();
    }

    /**
     * The duplicate check, keys under {@code trainer.dedup.}: a Bloom filter of settled group
     * ids, saved in every checkpoint, whose hits are checked against the ledger files.
     */
    interface Dedup {

        /**
         * Group ids the filter is sized for (about 1.8 MB per million at the default rate);
         * beyond it the filter's false-positive rate rises, and with it the reads of the
         * ledger files, never the answer's correctness. Fixed when a store's first checkpoint
         * is written.
         */
        @WithDefault("1000000")
        long expectedGroups();

        /** The filter's false-positive rate at {@code expected-groups} ids, in (0, 1). */
        @WithDefault("0.001")
        double falsePositiveRate();
    }

    /** Liveness, keys under {@code trainer.health.}. */
    interface Health {

        /**
         * How long the loop may have records or a step in hand without finishing any before
         * liveness reports it stalled: longer than the slowest step plus checkpoint.
         */
        @WithDefault("15m")
        Duration stallAfter();
    }

    /** Topic names, keys under {@code trainer.topics.}. */
    interface Topics {

        @WithDefault("${pipeline.topic-prefix}scored")
        String scored();

        @WithDefault("${pipeline.topic-prefix}scored.dlq")
        String scoredDeadLetters();

        /**
         * The consumer group the trainer commits to how far it has taken up the scored groups:
         * for lag readers alone (the prompt-generator's pacing, dashboards); the trainer
         * resumes from its checkpoints, never from these offsets, and joins no group.
         */
        @WithDefault("trainer-service")
        String progressGroup();

        @WithDefault("${pipeline.topic-prefix}checkpoints")
        String checkpoints();

        @WithDefault("${pipeline.topic-prefix}metrics")
        String metrics();
    }
}
