package ai.collectiveagency.schemas.topics;

/**
 * The topics of the pipeline by role, before a prefix makes them full names (see DESIGN.md,
 * "Topics"). Every one of them is consumed by some service, so each has a dead-letter topic.
 */
public enum LogicalTopic {
    /** {@code PromptTask}: scenario, personas, mode; read by the rollout service. */
    PROMPTS("prompts"),
    /** {@code RolloutGroup}: G trajectories with token ids and log-probs; read by rewards. */
    ROLLOUTS("rollouts"),
    /** {@code ScoredGroup}: the group plus per-trajectory rewards; read by the trainer. */
    SCORED("scored"),
    /** {@code PolicyCheckpoint} manifests, compacted: the latest version per key survives. */
    CHECKPOINTS("checkpoints"),
    /** {@code TrainingMetrics} / {@code EvalResult}: what dashboards and evaluators read. */
    METRICS("metrics"),
    /**
     * {@code FleetPin} control records, compacted under one key: the operator's signed pin of the
     * version the rollout fleet serves ({@code ./pipeline fleet pin}); read by every replica.
     */
    CONTROL("fleet-control");

    /** Suffix of the dead-letter topic of each consumed topic: {@code <topic>.dlq}. */
    public static final String DLQ_SUFFIX = ".dlq";

    private final String suffix;

    LogicalTopic(String suffix) {
        this.suffix = suffix;
    }

    /** The name without prefix, e.g. {@code prompts}. */
    public String suffix() {
        return suffix;
    }
}
