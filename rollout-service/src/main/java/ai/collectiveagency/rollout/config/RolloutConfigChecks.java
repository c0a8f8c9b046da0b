package ai.collectiveagency.rollout.config;

import ai.collectiveagency.llm.ChatEndpoint;
import ai.collectiveagency.selfplay.Reasoning;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a {@link RolloutConfig} as a whole, so that a bad value stops start-up with a message
 * naming its key and what is wrong, e.g. {@code rollout.group-size must be >= 1, was 0}.
 */
public final class RolloutConfigChecks {

    private RolloutConfigChecks() {
    }

    /** Throws {@link IllegalArgumentException} listing every bad value, one per line. */
    public static void requireValid(RolloutConfig config) {
        List<String> problems = problems(config);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(
                    "invalid configuration:\n  " + String.join("\n  ", problems));
        }
    }

    /** One line per bad value; empty when all are good. */
    public static List<String> problems(RolloutConfig config) {
        List<String> problems = new ArrayList<>();
        Path model = config.model();
        if (!Files.isRegularFile(model.resolve("config.json"))) {
            problems.add("rollout.model must be a Hugging Face model folder with a config.json, was "
                    + model.toAbsolutePath());
        } else if (!Files.isRegularFile(model.resolve("tokenizer.json"))) {
            problems.add("rollout.model needs a tokenizer.json (negotiations are text), "
                    + model.toAbsolutePath() + " has none");
        }
        atLeast(problems, "rollout.group-size", config.groupSize(), 1);
        atLeast(problems, "rollout.max-turns", config.maxTurns(), 2);
        atLeast(problems, "rollout.context-turns", config.contextTurns(), 0);
        config.prompts().filter(folder -> !Files.isDirectory(folder)).ifPresent(folder ->
                problems.add("rollout.prompts must name a folder of prompt templates, was "
                        + folder));
        sampling(problems, "rollout.dialogue", config.dialogue());
        sampling(problems, "rollout.resolution", config.resolution());
        sampling(problems, "rollout.answer", config.answer());
        RolloutConfig.Batch batch = config.batch();
        atLeast(problems, "rollout.batch.max-tasks", batch.maxTasks(), 1);
        if (batch.maxWait().isNegative()) {
            problems.add("rollout.batch.max-wait must be >= 0, was " + batch.maxWait());
        }
        config.replicaId().filter(id -> !id.isBlank() && !ReplicaId.valid(id))
                .ifPresent(id -> problems.add("rollout.replica-id must match "
                        + ReplicaId.PATTERN + ", was '" + id + "'"));
        agreement(problems, config.agreement());
        reasoning(problems, config.reasoning(), config.dialogue().maxTokens());
        if (config.generation() == RolloutConfig.Generation.REMOTE) {
            remote(problems, config.remote());
        }
        return problems;
    }

    private static void remote(List<String> problems, RolloutConfig.Remote remote) {
        List<String> urls = remote.urls().orElse(List.of()).stream()
                .filter(url -> !url.isBlank()).toList();
        if (urls.isEmpty()) {
            problems.add("rollout.remote.urls must name the inference engines (e.g."
                    + " http://vllm:8000) when rollout.generation=remote");
        }
        for (String url : urls) {
            URI uri;
            try {
                uri = new URI(url.strip());
            } catch (URISyntaxException e) {
                problems.add("rollout.remote.urls: '" + url + "' is not a URL (" + e.getMessage()
                        + ")");
                continue;
            }
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                    || uri.getHost() == null) {
                problems.add("rollout.remote.urls: '" + url + "' must be an http or https URL"
                        + " with a host");
                continue;
            }
            if (uri.getPath() != null && uri.getPath().replaceAll("/+$", "").endsWith("/v1")) {
                problems.add("rollout.remote.urls: '" + url + "' ends in /v1; give the engine's"
                        + " base URL (http://host:8000): requests go to <url>/v1/completions");
                continue;
            }
            ChatEndpoint.insecureKey(uri, remote.apiKey(), remote.allowInsecure(),
                    "rollout.remote.api-key", "rollout.remote.allow-insecure=true")
                    .ifPresent(problems::add);
        }
        if (remote.timeout().isNegative() || remote.timeout().isZero()) {
            problems.add("rollout.remote.timeout must be > 0, was " + remote.timeout());
        }
        atLeast(problems, "rollout.remote.max-retries", remote.maxRetries(), 0);
        if (remote.retryDelay().isNegative()) {
            problems.add("rollout.remote.retry-delay must be >= 0, was " + remote.retryDelay());
        }
        atLeast(problems, "rollout.remote.max-concurrency", remote.maxConcurrency(), 1);
        if (remote.resolveInterval().isNegative() || remote.resolveInterval().isZero()) {
            problems.add("rollout.remote.resolve-interval must be > 0, was "
                    + remote.resolveInterval());
        }
        remote.modelName().filter(String::isBlank).ifPresent(name ->
                problems.add("rollout.remote.model-name must not be blank"));
    }

    private static void agreement(List<String> problems, RolloutConfig.Agreement agreement) {
        atLeast(problems, "rollout.agreement.max-tokens", agreement.maxTokens(), 1);
        if (agreement.judge() != RolloutConfig.Judge.LLM) {
            return;
        }
        RolloutConfig.LlmJudge llm = agreement.llm();
        if (llm.baseUrl().isEmpty()) {
            problems.add("rollout.agreement.llm.base-url must name an OpenAI-compatible endpoint "
                    + "when rollout.agreement.judge=llm");
        }
        if (llm.model().filter(name -> !name.isBlank()).isEmpty()) {
            problems.add("rollout.agreement.llm.model must name the judge model when "
                    + "rollout.agreement.judge=llm");
        }
        llm.insecureKey("rollout.agreement.llm").ifPresent(problems::add);
        if (llm.timeout().isNegative() || llm.timeout().equals(Duration.ZERO)) {
            problems.add("rollout.agreement.llm.timeout must be > 0, was " + llm.timeout());
        }
        atLeast(problems, "rollout.agreement.llm.max-retries", llm.maxRetries(), 0);
        if (llm.retryDelay().isNegative()) {
            problems.add("rollout.agreement.llm.retry-delay must be >= 0, was "
                    + llm.retryDelay());
        }
        atLeast(problems, "rollout.agreement.llm.max-tokens", llm.maxTokens(), 1);
        atLeast(problems, "rollout.agreement.llm.parallelism", llm.parallelism(), 1);
    }

    private static void reasoning(List<String> problems, RolloutConfig.Reasoning reasoning,
            int dialogueMaxTokens) {
        atLeast(problems, "rollout.reasoning.max-thought-tokens", reasoning.maxThoughtTokens(),
                1);
        if (reasoning.mode() == Reasoning.Mode.ASYNC
                && reasoning.maxThoughtTokens() > dialogueMaxTokens) {
            problems.add("rollout.reasoning.max-thought-tokens must be <= "
                    + "rollout.dialogue.max-tokens (" + dialogueMaxTokens + ") when "
                    + "rollout.reasoning=async: a persona thinks while the other's turn is "
                    + "generated, in the same call; was " + reasoning.maxThoughtTokens());
        }
    }

    private static void sampling(List<String> problems, String prefix,
            RolloutConfig.Sampling sampling) {
        if (!(sampling.temperature() >= 0) || Double.isInfinite(sampling.temperature())) {
            problems.add(prefix + ".temperature must be >= 0, was " + sampling.temperature());
        }
        if (!(sampling.topP() > 0 && sampling.topP() <= 1)) {
            problems.add(prefix + ".top-p must lie in (0, 1], was " + sampling.topP());
        }
        atLeast(problems, prefix + ".max-tokens", sampling.maxTokens(), 1);
    }

    private static void atLeast(List<String> problems, String key, int value, int least) {
        if (value < least) {
            problems.add(key + " must be >= " + least + ", was " + value);
        }
    }
}
