package ai.collectiveagency.schemas.topics;

/**
 * Who connects to the pipeline's topics: the four services, a read-only observer and the
 * operator who lists and replays dead letters. On a
 * secured cluster each is one Kafka user, named {@link #user()}, whose ACLs the catalogue
 * derives from what it writes and reads ({@link TopicAccess}, {@link ClientPermissions}).
 */
public enum PipelineClient {
    /** Writes tasks; reads them back to resume and to audit; reads the rollout fleet's lag. */
    PROMPT_GENERATOR("prompt-generator"),
    /** Reads tasks in its consumer group and every checkpoint; writes rollout groups. */
    ROLLOUT_SERVICE("rollout-service"),
    /** Reads rollout groups in its consumer group; writes scored groups. */
    REWARD_SERVICE("reward-service"),
    /** Reads scored groups (assigned, offsets in its checkpoints); writes checkpoints, metrics. */
    TRAINER_SERVICE("trainer-service"),
    /** Reads every checkpoint in its consumer group; writes win-rate evaluations to metrics. */
    EVALUATION_SERVICE("evaluation-service"),
    /**
     * Writes nothing: reads what a dashboard shows (metrics, scored groups, checkpoints) and the
     * consumer groups' lag. The demo's dashboard and run report connect as this user.
     */
    OBSERVER("observer"),
    /**
     * A person with {@code ./pipeline dlq} and {@code ./pipeline fleet}: reads every dead-letter
     * topic, writes the topics whose dead letters it replays (prompts, rollouts, scored; never
     * checkpoints), and writes the fleet's signed pins (fleet-control).
     */
    OPERATOR("operator");

    private final String user;

    PipelineClient(String user) {
        this.user = user;
    }

    /** The Kafka user name (the service's name), e.g. {@code rollout-service}. */
    public String user() {
        return user;
    }
}
