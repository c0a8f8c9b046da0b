package ai.collectiveagency.rollout.messaging;

/** Channel names; the topics behind them are set in {@code application.properties}. */
public final class Channels {

    /** Tasks in, from the prompts topic. */
    public static final String PROMPTS = "prompts";
    /** Groups out, to the rollouts topic. */
    public static final String ROLLOUTS = "rollouts";

    private Channels() {
    }
}
