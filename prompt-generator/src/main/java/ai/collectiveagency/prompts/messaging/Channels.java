package ai.collectiveagency.prompts.messaging;

/**
 * Channel names of the service; the topics behind them are set in {@code application.properties}
 * ({@code mp.messaging.outgoing.<channel>.topic}).
 */
public final class Channels {

    /** Outgoing {@code PromptTask}s keyed by task id (topic {@code alignment.prompts}). */
    public static final String PROMPTS = "prompts";

    /**
     * Incoming {@code PromptTask}s read back for the audit (topic {@code alignment.prompts},
     * group {@code prompts-audit}); failures go to {@code alignment.prompts.dlq}.
     */
    public static final String PROMPTS_AUDIT = "prompts-audit";

    private Channels() {
    }
}
