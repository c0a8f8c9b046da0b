package ai.collectiveagency.prompts.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
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

    /** Share of NEGOTIATION tasks, the rest SINGLE, in [0, 1]. */
    @WithDefault("0.8")
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

    /** Tasks to send before the stream completes; 0 sends for as long as the service runs. */
    @WithDefault("0")
    long maxTasks();

    /** The audit consumer that reads the prompts topic back (see {@code PromptAuditConsumer}). */
    Audit audit();

    /** Settings of the audit consumer, keys under {@code prompts.audit.}. */
    interface Audit {

        /** Whether the audit consumer runs; false: its channel is disabled. */
        @WithDefault("true")
        boolean enabled();
    }
}
