package ai.collectiveagency.prompts.config;

import ai.collectiveagency.llm.ChatGuardConfig;
import ai.collectiveagency.llm.JsonMode;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The prompt-generator service's settings, keys under {@code prompts.} in
 * {@code application.properties}, each overridable by environment variable (e.g.
 * {@code PROMPTS_RATE=5}). {@link ConfigChecks} rejects bad values at start-up.
 */
@ConfigMapping(prefix = "prompts")
public interface PromptGeneratorConfig {

    /** Run seed: the same seed and seed lists give the same tasks, in the same order. */
    @WithDefault("1")
    long seed();

    /**
     * Share of NEGOTIATION tasks, the rest SINGLE, in [0, 1]: 1 (negotiations only); 0 in the
     * {@code single-agent} profile (the single-agent baseline).
     */
    @WithDefault("1.0")
    double negotiationShare();

    /** Share of tasks marked held out for evaluation (never trained on), in [0, 1]. */
    @WithDefault("0.05")
    double heldOutShare();

    /** Folder of seed files that extend the shipped lists; absent: the shipped lists only. */
    Optional<Path> seeds();

    /** When true, files in {@link #seeds()} replace the shipped lists instead of extending them. */
    @WithDefault("false")
    boolean replaceSeeds();

    /** Estimated Jaccard similarity at or above which a task is dropped as a near-duplicate. */
    @WithDefault("0.8")
    double dedupThreshold();

    /** Tasks sent per second (> 0). */
    @WithDefault("2")
    double rate();

    /**
     * Whether a restarted run carries on after the highest task index its seed already wrote to
     * the prompts topic (else it starts at index 0 and repeats task ids).
     */
    @WithDefault("true")
    boolean resume();

    /** Tasks to send before the stream completes; 0 sends for as long as the service runs. */
    @WithDefault("0")
    long maxTasks();

    /** Pacing by the lag of the consumer group that reads the prompts topic. */
    Pacing pacing();

    /** The audit consumer that reads the prompts topic back (see {@code PromptAuditConsumer}). */
    Audit audit();

    /** The LLM task source (off unless {@code prompts.llm.share} is above 0). */
    Llm llm();

    /**
     * Settings of the LLM task source, keys under {@code prompts.llm.}; the endpoint's
     * ({@code base-url}, {@code model}, {@code api-key} from {@code PROMPTS_LLM_API_KEY},
     * {@code allow-insecure}) and its guard's come from {@link ChatGuardConfig}.
     */
    interface Llm extends ChatGuardConfig {

        /** Share of tasks an LLM writes, the rest combinatorial, in [0, 1]; 0 turns it off. */
        @WithDefault("0")
        double share();

        /** How JSON is asked for: schema (response_format json_schema), object, or prompt. */
        @WithDefault("schema")
        JsonMode jsonMode();

        /** Sampling temperature of the task writer. */
        @WithDefault("1.0")
        double temperature();

        /** Longest answer requested, in tokens. */
        @WithDefault("1500")
        int maxTokens();
    }

    /** Settings of the audit consumer, keys under {@code prompts.audit.}. */
    interface Audit {

        /** Whether the audit consumer runs; false: its channel is disabled. */
        @WithDefault("true")
        boolean enabled();
    }

    /** Settings of pacing by consumer lag, keys under {@code prompts.pacing.}. */
    interface Pacing {

        /** Consumer group whose lag on the prompts topic bounds sending (the rollout fleet). */
        @WithDefault("rollout-service")
        String group();

        /**
         * Tasks are sent while the group's lag is below this many records; 0: not paced by the
         * rollout fleet.
         */
        @WithDefault("64")
        long maxLag();

        /**
         * The trainer's consumer group on the scored topic ({@code trainer.topics.progress-group}:
         * it commits there how far it has taken up the scored groups, for lag readers).
         */
        @WithDefault("trainer-service")
        String trainerGroup();

        /**
         * Tasks are sent while the trainer's lag on the scored topic is below this many offsets
         * (a scored group, and a commit marker per reward-service transaction), so that groups
         * are not made faster than they are trained (and then dead-lettered as stale); 0: not
         * paced by the trainer.
         */
        @WithDefault("32")
        long trainerMaxLag();

        /** How long a measured lag is reused before the Admin client is asked again. */
        @WithDefault("1s")
        Duration checkInterval();
    }
}
