package ai.collectiveagency.prompts.messaging;

/**
 * Channel names of the service; the topics behind them are set in {@code application.properties}
 * ({@code mp.messaging.outgoing.<channel>.topic}).
 */
public final class Channels {

    /** Outgoing {@code PromptTask}s keyed by task id (topic {@code alignment.prompts}). */
    public static final String PROMPTS = "prompts";

    private Channels() {
    }
}
