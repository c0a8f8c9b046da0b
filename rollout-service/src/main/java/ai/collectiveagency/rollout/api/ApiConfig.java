package ai.collectiveagency.rollout.api;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The OpenAI-compatible API's settings, keys under {@code rollout.api.}; {@link ApiConfigChecks}
 * stops start-up on a bad value, naming the key.
 */
@ConfigMapping(prefix = "rollout.api")
public interface ApiConfig {

    /** How callers are authenticated. */
    enum Auth {
        /** A bearer key from {@link #keys()} on every request. */
        API_KEY,
        /** No check at all; only accepted while the API binds a loopback address. */
        NONE
    }

    /** {@code api-key} (default) or {@code none} (loopback only). */
    @WithDefault("api-key")
    Auth auth();

    /** Accepted bearer keys, comma-separated (env {@code ROLLOUT_API_KEYS}); several rotate. */
    Optional<List<String>> keys();

    /** Most choices per prompt ({@code n}). */
    @WithDefault("16")
    int maxN();

    /** Most sequences one request may generate: prompts times {@code n}. */
    @WithDefault("64")
    int maxSequences();

    /** API requests that may wait for the policy worker; one more is answered 429. */
    @WithDefault("16")
    int maxQueued();

    /** Longest a request may take from its arrival (queue wait included) before a 504. */
    @WithDefault("120s")
    Duration timeout();

    /** Tokens generated when a request names no {@code max_tokens} (less if the context ends). */
    @WithDefault("256")
    int defaultMaxTokens();

    /**
     * Most sequences (choices) of the compatible completion requests sampled together in one
     * batch; 1 turns batching off.
     */
    @WithDefault("64")
    int maxBatchSequences();

    /**
     * How long a new batch stays open, from its first request, when the model is idle: the
     * requests a client sends at once (a group's sequences) reach the server a few milliseconds
     * apart, and without this wait the first would run alone and the rest after it. 0: no wait.
     */
    @WithDefault("10ms")
    java.time.Duration batchWindow();

    /**
     * Whether LoRA adapters may be loaded and unloaded at run time
     * ({@code /v1/load_lora_adapter}, {@code /v1/unload_lora_adapter}, as vLLM with
     * {@code VLLM_ALLOW_RUNTIME_LORA_UPDATING}); needs {@code rollout.checkpoints.store-root}.
     */
    @WithDefault("false")
    boolean runtimeLora();

    /** Most runtime adapters held at once; loading one more evicts the least recently used. */
    @WithDefault("4")
    int maxLoras();

    /** Asynchronous reasoning ({@code "reasoning": {"mode": "async"}} on chat completions). */
    Reasoning reasoning();

    /** Keys under {@code rollout.api.reasoning.}. */
    interface Reasoning {

        /** The thinker's budget when a request names no {@code max_reasoning_tokens}. */
        @WithDefault("256")
        int defaultThinkerTokens();

        /** Most thinker tokens a request may ask for ({@code max_reasoning_tokens}). */
        @WithDefault("4096")
        int maxThinkerTokens();

        /**
         * A folder of prompt files ({@code thinker-system.txt}, {@code question.txt}, ...) that
         * replace the shipped ones of the same name; absent: the shipped prompts.
         */
        Optional<Path> prompts();
    }
}
