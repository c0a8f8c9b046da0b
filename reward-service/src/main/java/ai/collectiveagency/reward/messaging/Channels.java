package ai.collectiveagency.reward.messaging;

/** Channel names; the topics behind them are set in {@code application.properties}. */
public final class Channels {

    /** Groups in, from the rollouts topic. */
    public static final String ROLLOUTS = "rollouts";
    /** Scored groups out, to the scored topic. */
    public static final String SCORED = "scored";

    private Channels() {
    }
}
