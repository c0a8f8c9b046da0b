package ai.collectiveagency.prompts.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a {@link PromptGeneratorConfig} as a whole, so that a bad value stops start-up with a
 * message naming its key and what is wrong, e.g. {@code prompts.rate must be > 0, was 0.0}.
 */
public final class ConfigChecks {

    private static final Duration MIN_CHECK_INTERVAL = Duration.ofMillis(10);
    private static final Duration MAX_CHECK_INTERVAL = Duration.ofMinutes(1);

    private ConfigChecks() {
    }

    /** Throws {@link IllegalArgumentException} listing every bad value, one per line. */
    public static void requireValid(PromptGeneratorConfig config) {
        List<String> problems = problems(config);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(
                    "invalid configuration:\n  " + String.join("\n  ", problems));
        }
    }

    /** One line per bad value; empty when all are good. */
    public static List<String> problems(PromptGeneratorConfig config) {
        List<String> problems = new ArrayList<>();
        share(problems, "prompts.negotiation-share", config.negotiationShare());
        share(problems, "prompts.held-out-share", config.heldOutShare());
        if (!(config.dedupThreshold() > 0.0 && config.dedupThreshold() <= 1.0)) {
            problems.add("prompts.dedup-threshold must lie in (0, 1], was "
                    + config.dedupThreshold());
        }
        if (!(config.rate() > 0.0 && config.rate() <= 1_000_000.0)) {
            problems.add("prompts.rate must lie in (0, 1000000] tasks per second, was "
                    + config.rate());
        }
        if (config.maxTasks() < 0) {
            problems.add("prompts.max-tasks must be >= 0 (0: no end), was " + config.maxTasks());
        }
        pacing(problems, config.pacing());
        llm(problems, config.llm());
        config.seeds().filter(folder -> !folder.toFile().isDirectory()).ifPresent(folder ->
                problems.add("prompts.seeds must name a folder, was " + folder));
        return problems;
    }

    private static void pacing(List<String> problems, PromptGeneratorConfig.Pacing pacing) {
        if (pacing.maxLag() < 0) {
            problems.add("prompts.pacing.max-lag must be >= 0 (0: not paced by the rollout "
                    + "fleet), was " + pacing.maxLag());
        }
        if (pacing.maxLag() > 0 && pacing.group().isBlank()) {
            problems.add("prompts.pacing.group must name a consumer group when pacing is on");
        }
        if (pacing.trainerMaxLag() < 0) {
            problems.add("prompts.pacing.trainer-max-lag must be >= 0 (0: not paced by the "
                    + "trainer), was " + pacing.trainerMaxLag());
        }
        if (pacing.trainerMaxLag() > 0 && pacing.trainerGroup().isBlank()) {
            problems.add("prompts.pacing.trainer-group must name a consumer group when "
                    + "prompts.pacing.trainer-max-lag is above 0");
        }
        Duration interval = pacing.checkInterval();
        if (interval.compareTo(MIN_CHECK_INTERVAL) < 0
                || interval.compareTo(MAX_CHECK_INTERVAL) > 0) {
            problems.add("prompts.pacing.check-interval must lie in [10ms, 1m], was " + interval);
        }
    }

    private static void llm(List<String> problems, PromptGeneratorConfig.Llm llm) {
        share(problems, "prompts.llm.share", llm.share());
        if (llm.share() <= 0) {
            return;
        }
        if (llm.baseUrl().isEmpty()) {
            problems.add("prompts.llm.base-url must name an OpenAI-compatible endpoint "
                    + "(e.g. http://localhost:8000/v1) when prompts.llm.share is above 0");
        } else {
            String scheme = llm.baseUrl().get().getScheme();
            if (!"http".equals(scheme) && !"https".equals(scheme)) {
                problems.add("prompts.llm.base-url must be an http or https URL, was "
                        + llm.baseUrl().get());
            }
        }
        if (llm.model().filter(name -> !name.isBlank()).isEmpty()) {
            problems.add("prompts.llm.model must name the model when prompts.llm.share is above 0");
        }
        if (!(llm.temperature() >= 0 && llm.temperature() <= 2)) {
            problems.add("prompts.llm.temperature must lie in [0, 2], was " + llm.temperature());
        }
        if (llm.maxTokens() < 64) {
            problems.add("prompts.llm.max-tokens must be >= 64, was " + llm.maxTokens());
        }
        problems.addAll(llm.problems("prompts.llm"));
    }

    private static void share(List<String> problems, String key, double share) {
        if (!(share >= 0.0 && share <= 1.0)) {
            problems.add(key + " must lie in [0, 1], was " + share);
        }
    }
}
