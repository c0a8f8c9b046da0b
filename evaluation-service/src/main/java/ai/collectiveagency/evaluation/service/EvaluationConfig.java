package ai.collectiveagency.evaluation.service;

import ai.collectiveagency.llm.ChatEndpointConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The evaluation-service's settings, keys under {@code evaluation.}. */
@ConfigMapping(prefix = "evaluation")
public interface EvaluationConfig {

    /** The base model's folder: version 0, the opponent, and what LORA adapters go on. */
    Path model();

    /** The name LORA announcements may give the base model, besides its folder's name. */
    Optional<String> modelName();

    Checkpoints checkpoints();

    Schedule schedule();

    /**
     * The evaluation sets: shipped names ({@code negotiation-v1}, {@code open-ended-v1}) or
     * {@code <name>-v<version>.jsonl} files of PromptTasks.
     */
    @WithDefault("negotiation-v1,open-ended-v1")
    List<String> sets();

    /** Tasks taken from the start of each set. */
    @WithDefault("16")
    int tasksPerSet();

    /** {@code greedy}, {@code sampled}, or both. */
    @WithDefault("greedy,sampled")
    List<String> decodings();

    /** Tasks played in one lockstep batch. */
    @WithDefault("8")
    int batchSize();

    /** The protocol's turns and sampling: the training fleet's, so the comparison is fair. */
    Protocol protocol();

    Metrics metrics();

    /** The pairwise judge: an LLM when {@code base-url} is set, else the embedded scorer. */
    Judge judge();

    /** Keys under {@code evaluation.checkpoints.}. */
    interface Checkpoints {

        /** The compacted topic the trainer announces checkpoints on. */
        @WithDefault("${pipeline.topic-prefix}checkpoints")
        String topic();

        /** The consumer group whose committed offsets say which announcements were handled. */
        @WithDefault("evaluation-service")
        String consumerGroup();

        /** PEM files of the trainer's Ed25519 public keys (required). */
        Optional<List<Path>> publicKeys();

        /** The checkpoint store as mounted here, read only (required). */
        Optional<Path> storeRoot();

        /** Longest wait of one poll for announcements. */
        @WithDefault("1s")
        Duration pollInterval();
    }

    /** Keys under {@code evaluation.metrics.}. */
    interface Metrics {

        /** The topic results go to. */
        @WithDefault("${pipeline.topic-prefix}metrics")
        String topic();
    }

    /** When a checkpoint is evaluated; keys under {@code evaluation.schedule.}. */
    interface Schedule {

        /** Only versions that are multiples of this are evaluated (1: every version). */
        @WithDefault("1")
        int everyNthVersion();

        /**
         * Least time from one evaluation's start to the next: a newer announcement waits, and
         * the newest one waiting is evaluated when it has passed (0s: no wait).
         */
        @WithDefault("0s")
        Duration minInterval();
    }

    /** Keys under {@code evaluation.protocol.}. */
    interface Protocol {

        /** T, most persona turns of a negotiation. */
        @WithDefault("7")
        int maxTurns();

        /** k, the latest turns each side sees (0: the whole dialogue). */
        @WithDefault("2")
        int contextTurns();

        /** Sampled decoding's temperature of persona turns and answers (the training one). */
        @WithDefault("0.7")
        double temperature();

        /** Sampled decoding's temperature of resolutions (the training one). */
        @WithDefault("0.1")
        double resolutionTemperature();

        @WithDefault("0.95")
        double topP();

        /** Tokens of one persona turn. */
        @WithDefault("256")
        int turnTokens();

        /** Tokens of a resolution or a single answer. */
        @WithDefault("512")
        int resolutionTokens();

        /** Tokens of the policy's own yes/no agreement verdict. */
        @WithDefault("4")
        int agreementTokens();

        /** Prompt templates folder (as {@code rollout.prompts}); unset: the shipped ones. */
        Optional<Path> prompts();
    }

    /** Keys under {@code evaluation.judge.}; the key from {@code EVALUATION_JUDGE_API_KEY}. */
    interface Judge extends ChatEndpointConfig {

        /** Time one judge request may take. */
        @WithDefault("60s")
        Duration timeout();

        /** Retries of a failed request (bad JSON, 5xx, timeout). */
        @WithDefault("2")
        int maxRetries();

        /** Offline judge: scores closer than this are a tie. */
        @WithDefault("0.001")
        double tieMargin();
    }
}
