package ai.collectiveagency.rollout.config;

import ai.collectiveagency.llm.ChatEndpointConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rollout-service's settings, keys under {@code rollout.} in {@code application.properties},
 * each overridable by environment variable (e.g. {@code ROLLOUT_GROUP_SIZE=4}).
 * {@link RolloutConfigChecks} rejects bad values at start-up, naming the key.
 */
@ConfigMapping(prefix = "rollout")
public interface RolloutConfig {

    /** The base model: a Hugging Face folder (config.json, safetensors, tokenizer). */
    Path model();

    /** Name of the model in groups and on {@code /v1/models}; default: config.json's name. */
    Optional<String> modelName();

    /**
     * This replica's id, unique in the fleet: it names the replica's checkpoint lease
     * ({@code <store-root>/.leases/<id>.json}); letters, digits, {@code . _ -}. Default: the
     * host name and the process id ({@link ReplicaId}); Kubernetes sets the pod's name.
     */
    Optional<String> replicaId();

    /** Trajectories sampled per task (G); rewards are compared within a group. */
    @WithDefault("8")
    int groupSize();

    /** Most dialogue turns, both personas together (T). */
    @WithDefault("7")
    int maxTurns();

    /** Dialogue turns each side (and the agreement check) sees; 0: the whole dialogue. */
    @WithDefault("2")
    int contextTurns();

    /** Folder of prompt templates replacing the shipped ones of the same name. */
    Optional<Path> prompts();

    /** Sampling of dialogue turns (paper: temperature 0.7, top-p 0.95). */
    Sampling dialogue();

    /** Sampling of the final resolution (paper: temperature 0.1, top-p 0.95). */
    Sampling resolution();

    /** Sampling of a SINGLE-mode answer. */
    Sampling answer();

    /**
     * The Kafka stage's keys ({@code rollout.stage.*}), read and checked by
     * {@code StageSettings.read} when the stage starts; declared here so that this mapping
     * accepts them.
     */
    Map<String, String> stage();

    /** How tasks are gathered into batches for the model. */
    Batch batch();


    /** The check after each turn whether the personas agree. */
    Agreement agreement();

    /**
     * Asynchronous reasoning: {@code rollout.reasoning} ({@code off} or {@code async}) and its
     * keys under {@code rollout.reasoning.}.
     */
    Reasoning reasoning();

    /** Where rollouts are sampled: {@code local} (this process) or {@code remote}. */
    @WithDefault("local")
    Generation generation();

    /** The inference engines of remote generation, keys under {@code rollout.remote.}. */
    Remote remote();

    /** Where the policy's sampling calls run. */
    enum Generation {
        /** The Java decoder in this process. */
        LOCAL,
        /**
         * Inference engines speaking vLLM's protocol ({@code rollout.remote.*}): token ids in,
         * token ids and log-probs out; checkpoints reach them through runtime LoRA loading.
         */
        REMOTE
    }

    /** Remote generation's engines, keys under {@code rollout.remote.}. */
    interface Remote {

        /**
         * Base URLs of the engines (e.g. {@code http://vllm:8000}), comma-separated. A plain
         * {@code http} URL whose host resolves to several addresses (a headless Service) stands
         * for one engine per address, resolved again every {@link #resolveInterval()}.
         */
        Optional<List<String>> urls();

        /**
         * The engines' API key, sent as {@code Authorization: Bearer}; set it through the
         * environment ({@code ROLLOUT_REMOTE_API_KEY}). Unset: no header.
         */
        Optional<String> apiKey();

        /**
         * Lets the key go over plain http to a host other than loopback (an in-cluster network
         * that a NetworkPolicy closes); refused otherwise.
         */
        @WithDefault("false")
        boolean allowInsecure();

        /**
         * The base model's name on the engines ({@code --served-model-name}); default:
         * {@code rollout.model-name}, else the model folder's name.
         */
        Optional<String> modelName();

        /** Time one engine call may take (a whole completion, or an adapter load). */
        @WithDefault("120s")
        Duration timeout();

        /** Retries of a failed call (5xx, timeout, refused connection) before it fails. */
        @WithDefault("3")
        int maxRetries();

        /** Wait before the first retry; it doubles with each further one. */
        @WithDefault("500ms")
        Duration retryDelay();

        /** Engine requests in flight at once from this replica, all engines together. */
        @WithDefault("64")
        int maxConcurrency();

        /** How often engine host names are resolved again. */
        @WithDefault("30s")
        Duration resolveInterval();
    }

    /** Who decides whether a dialogue reached agreement. */
    enum Judge {
        /** The policy itself, greedy, on the agreement prompts. */
        POLICY,
        /** A chat model over an OpenAI-compatible endpoint ({@code rollout.agreement.llm.*}). */
        LLM
    }

    /** The agreement check, keys under {@code rollout.agreement.}. */
    interface Agreement {

        /** {@code policy} or {@code llm}. */
        @WithDefault("policy")
        Judge judge();

        /** Tokens the policy judge may answer with (it answers yes or no). */
        @WithDefault("4")
        int maxTokens();

        /**
         * The first turn after which agreement is checked: 1 (every turn, the opening one
         * included) or more.
         */
        @WithDefault("1")
        int fromTurn();

        /** The LLM judge's endpoint, used when {@code judge=llm}. */
        LlmJudge llm();
    }

    /** An OpenAI-compatible judge, keys under {@code rollout.agreement.llm.}. */
    interface LlmJudge extends ChatEndpointConfig {

        /** Time one attempt may take. */
        @WithDefault("30s")
        Duration timeout();

        /** Retries of a failed attempt (bad JSON, 5xx, timeout). */
        @WithDefault("2")
        int maxRetries();

        /** Wait before the first retry; it doubles with each further one. */
        @WithDefault("1s")
        Duration retryDelay();

        /** How the request asks for JSON: {@code schema}, {@code object} or {@code prompt}. */
        @WithDefault("schema")
        ai.collectiveagency.llm.JsonMode jsonMode();

        /** Longest answer requested (the verdict and a one-sentence reason). */
        @WithDefault("200")
        int maxTokens();

        /** Requests of one batch of dialogues in flight at once. */
        @WithDefault("4")
        int parallelism();
    }

    /** Whether each persona thinks while the other's turn is generated. */
    interface Reasoning {

        /**
         * {@code off}: the plain protocol; {@code async}: the listening persona thinks in the
         * call of the other's turn and its next turn reads the thoughts (segments
         * {@code THOUGHTS_A/B}, which the trainer leaves out unless
         * {@code trainer.train-thoughts=true}).
         */
        @WithParentName
        @WithDefault("off")
        ai.collectiveagency.selfplay.Reasoning.Mode mode();

        /** Most tokens of one persona's thoughts; at most {@code rollout.dialogue.max-tokens}. */
        @WithDefault("128")
        int maxThoughtTokens();
    }

    /** Sampling settings of one kind of generation. */
    interface Sampling {

        /** Softmax temperature; 0 is greedy. */
        double temperature();

        /** Nucleus threshold in (0, 1]. */
        @WithDefault("0.95")
        double topP();

        /** Most tokens generated. */
        int maxTokens();
    }

    /** Batching of tasks, keys under {@code rollout.batch.}. */
    interface Batch {

        /** Most tasks rolled out together (each with G trajectories) in one lockstep batch. */
        @WithDefault("4")
        int maxTasks();

        /** How long a batch waits to fill up once its first task arrived. */
        @WithDefault("500ms")
        Duration maxWait();
    }

}
