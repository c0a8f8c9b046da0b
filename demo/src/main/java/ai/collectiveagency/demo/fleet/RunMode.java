package ai.collectiveagency.demo.fleet;

import java.util.Optional;

/**
 * What a run of the loop trains: the negotiation policy (the services' defaults: negotiation
 * tasks only), or the negotiation paper's single-agent baseline (single tasks only, each service
 * started with its Quarkus profile {@code single-agent}, which holds the baseline's own
 * settings). The two runs' checkpoints are what an evaluation compares.
 */
public enum RunMode {

    /** Negotiation tasks, self-play dialogues: the services as configured. */
    NEGOTIATION("negotiation", null),
    /** Single tasks, one answer each: every service under its {@code single-agent} profile. */
    SINGLE_AGENT("single-agent", "single-agent");

    private final String label;
    private final String profile;

    RunMode(String label, String profile) {
        this.label = label;
        this.profile = profile;
    }

    /** The Quarkus profile the services start with, when not their default one. */
    public Optional<String> profile() {
        return Optional.ofNullable(profile);
    }

    /** As on the command line: {@code negotiation}, {@code single-agent}. */
    @Override
    public String toString() {
        return label;
    }
}
