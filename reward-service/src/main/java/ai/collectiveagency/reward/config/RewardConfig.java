package ai.collectiveagency.reward.config;

import ai.collectiveagency.llm.ChatGuardConfig;
import ai.collectiveagency.llm.JsonMode;
import ai.collectiveagency.scoring.FailedTrajectories;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The reward-service's settings, keys under {@code reward.} in {@code application.properties},
 * each overridable by environment variable (e.g. {@code REWARD_JUDGE_MODEL}).
 * {@link RewardConfigChecks} rejects bad values at start-up, naming the key.
 */
@ConfigMapping(prefix = "reward")
public interface RewardConfig {

    /**
     * The scorers and their weights, e.g. {@code reward.scorers.judge=1} or
     * {@code reward.scorers.judge=0.7} plus {@code reward.scorers.onnx=0.3}: names are
     * {@code judge} (an LLM judge), {@code self} (the policy judging itself through the
     * rollout-service API), {@code onnx} (an ONNX reward model) and {@code embedding} (offline:
     * similarity to anchor sentences under a sentence encoder).
     */
    Map<String, Double> scorers();

    /** What a failed trajectory is worth: zero (the research's choice) or unscorable. */
    @WithDefault("zero")
    FailedTrajectories failedTrajectories();

    /**
     * When the judge cannot be reached for some of a group's texts: {@code unscorable} sends the
     * group with those trajectories flagged and the reason; {@code wait} holds the group and
     * scores it again after {@code outage-retry-delay}, until the judge answers or the batch
     * has waited {@code outage-max-hold}; then the group goes out with those trajectories
     * flagged, the reason saying how long it was held.
     */
    @WithDefault("unscorable")
    OutagePolicy onOutage();

    /** Pause before a held group is scored again ({@code on-outage=wait}). */
    @WithDefault("30s")
    Duration outageRetryDelay();

    /**
     * Longest a batch of groups is held for an outage ({@code on-outage=wait}); shorter than
     * {@code reward.stage.max-batch-duration} ({@code StageSettings}).
     */
    @WithDefault("10m")
    Duration outageMaxHold();

    /**
     * The Kafka stage's keys ({@code reward.stage.*}), read and checked by
     * {@code StageSettings.read} when the stage starts; declared here so that this mapping
     * accepts them.
     */
    Map<String, String> stage();

    /**
     * This replica's name in the fleet (a pod name): part of its Kafka transactional id.
     * Default: {@code <host name>-<pid>}.
     */
    Optional<String> replicaId();

    /** How many groups are scored as one batch (and one transaction). */
    @WithDefault("8")
    int batchSize();


    /** The LLM judge ({@code judge}). */
    Judge judge();

    /** The policy judging itself ({@code self}): the rollout-service's API. */
    Judge self();

    /** The ONNX reward model ({@code onnx}). */
    Onnx onnx();

    /** The offline rewards' encoder and anchors ({@code negotiation}, {@code embedding}). */
    Embedding embedding();

    /**
     * A sentence encoder and anchor sentences, keys under {@code reward.embedding.}: the
     * task-conditioned {@code negotiation} reward (its Collective-Agency term uses the anchors)
     * and the task-blind {@code embedding} reward share them.
     */
    interface Embedding {

        /** An encoder folder ({@code model.onnx}, {@code tokenizer.json}); default: the shipped
         *  all-MiniLM-L6-v2. */
        Optional<Path> model();

        /** An anchors JSON file; default: the shipped Collective-Agency anchors. */
        Optional<Path> anchors();

        @WithDefault("256")
        int maxTokens();

        @WithDefault("16")
        int batchSize();

        @WithDefault("0")
        int threads();

        /** Texts whose embeddings {@code negotiation} keeps (a group's repeated resolutions, a
         *  role's persona texts). */
        @WithDefault("4096")
        int cacheSize();
    }

    /** See {@link #onOutage()}. */
    enum OutagePolicy {
        UNSCORABLE, WAIT
    }

    /**
     * A judge over an OpenAI-compatible endpoint; the endpoint's settings ({@code base-url},
     * {@code model}, {@code api-key} from e.g. {@code REWARD_JUDGE_API_KEY},
     * {@code allow-insecure}) and its guard's come from {@link ChatGuardConfig}.
     */
    interface Judge extends ChatGuardConfig {

        /** A shipped rubric ({@code ca}, {@code conflict-resolution}) or a rubric file path. */
        @WithDefault("ca")
        String rubric();

        /** How JSON is asked for: schema, object or prompt. */
        @WithDefault("schema")
        JsonMode jsonMode();

        @WithDefault("0.0")
        double temperature();

        @WithDefault("800")
        int maxTokens();

        /** Requests in flight at once. */
        @WithDefault("4")
        int concurrency();

        /** Answers kept so a replayed text costs nothing (not used for {@code self}). */
        @WithDefault("10000")
        long cacheSize();
    }

    /** An ONNX reward model folder ({@code model.onnx}, {@code tokenizer.json}). */
    interface Onnx {

        Optional<Path> model();

        /** Texts are cut to this many tokens. */
        @WithDefault("512")
        int maxTokens();

        /** Texts per ONNX Runtime call. */
        @WithDefault("16")
        int batchSize();

        /** ONNX Runtime intra-op threads; 0: its default. */
        @WithDefault("0")
        int threads();
    }
}
