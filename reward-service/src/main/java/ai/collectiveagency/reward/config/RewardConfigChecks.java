package ai.collectiveagency.reward.config;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks a {@link RewardConfig} as a whole, so that a bad value stops start-up with a message
 * naming its key and what is wrong, e.g. {@code reward.judge.model must name the judge model}.
 */
public final class RewardConfigChecks {

    /** The scorer names {@code reward.scorers.<name>} may use. */
    public static final Set<String> SCORERS = Set.of("judge", "self", "onnx", "negotiation",
            "embedding");

    private RewardConfigChecks() {
    }

    /** Throws {@link IllegalArgumentException} listing every bad value, one per line. */
    public static void requireValid(RewardConfig config) {
        List<String> problems = problems(config);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(
                    "invalid configuration:\n  " + String.join("\n  ", problems));
        }
    }

    /** One line per bad value; empty when all are good. */
    public static List<String> problems(RewardConfig config) {
        List<String> problems = new ArrayList<>();
        Map<String, Double> scorers = enabled(config);
        if (scorers.isEmpty()) {
            problems.add("reward.scorers must give at least one scorer a weight other than 0, e.g. "
                    + "reward.scorers.judge=1 (judge, self, onnx, negotiation or embedding)");
        }
        config.scorers().forEach((name, weight) -> {
            if (!SCORERS.contains(name)) {
                problems.add("reward.scorers." + name + ": unknown scorer; use judge, self, "
                        + "onnx, negotiation or embedding");
            }
            if (weight == null || !Double.isFinite(weight)) {
                problems.add("reward.scorers." + name + " must be a finite weight, was " + weight);
            }
        });
        if (scorers.containsKey("judge")) {
            judge(problems, "reward.judge", config.judge());
        }
        if (scorers.containsKey("self")) {
            judge(problems, "reward.self", config.self());
        }
        if (scorers.containsKey("onnx")) {
            RewardConfig.Onnx onnx = config.onnx();
            if (onnx.model().isEmpty()) {
                problems.add("reward.onnx.model must name a folder with model.onnx and "
                        + "tokenizer.json when reward.scorers.onnx is set");
            } else if (!Files.isDirectory(onnx.model().get())) {
                problems.add("reward.onnx.model must be a folder, was "
                        + onnx.model().get().toAbsolutePath());
            }
            atLeast(problems, "reward.onnx.max-tokens", onnx.maxTokens(), 1);
            atLeast(problems, "reward.onnx.batch-size", onnx.batchSize(), 1);
            atLeast(problems, "reward.onnx.threads", onnx.threads(), 0);
        }
        if (scorers.containsKey("embedding") || scorers.containsKey("negotiation")) {
            RewardConfig.Embedding embedding = config.embedding();
            embedding.model().filter(folder -> !Files.isDirectory(folder)).ifPresent(folder ->
                    problems.add("reward.embedding.model must be a folder, was "
                            + folder.toAbsolutePath()));
            embedding.anchors().filter(file -> !Files.isRegularFile(file)).ifPresent(file ->
                    problems.add("reward.embedding.anchors must be a JSON file, was "
                            + file.toAbsolutePath()));
            atLeast(problems, "reward.embedding.max-tokens", embedding.maxTokens(), 1);
            atLeast(problems, "reward.embedding.batch-size", embedding.batchSize(), 1);
            atLeast(problems, "reward.embedding.cache-size", embedding.cacheSize(), 0);
        }
        if (config.outageRetryDelay().isNegative() || config.outageRetryDelay().isZero()) {
            problems.add("reward.outage-retry-delay must be > 0, was " + config.outageRetryDelay());
        }
        if (config.outageMaxHold().isNegative()) {
            problems.add("reward.outage-max-hold must be >= 0, was " + config.outageMaxHold());
        }
        atLeast(problems, "reward.batch-size", config.batchSize(), 1);
        return problems;
    }

    /** The scorers with a weight other than 0 (a weight of 0 turns a scorer off). */
    public static Map<String, Double> enabled(RewardConfig config) {
        Map<String, Double> enabled = new TreeMap<>();
        config.scorers().forEach((name, weight) -> {
            if (weight == null || weight != 0.0) {
                enabled.put(name, weight);
            }
        });
        return enabled;
    }

    private static void judge(List<String> problems, String prefix, RewardConfig.Judge judge) {
        if (judge.baseUrl().isEmpty()) {
            problems.add(prefix + ".base-url must name an OpenAI-compatible endpoint");
        } else {
            String scheme = judge.baseUrl().get().getScheme();
            if (!"http".equals(scheme) && !"https".equals(scheme)) {
                problems.add(prefix + ".base-url must be an http or https URL, was "
                        + judge.baseUrl().get());
            }
        }
        if (judge.model().filter(m -> !m.isBlank()).isEmpty()) {
            problems.add(prefix + ".model must name the judge model");
        }
        try {
            ai.collectiveagency.scoring.judge.Rubric.load(judge.rubric());
        } catch (IllegalArgumentException e) {
            problems.add(prefix + ".rubric: " + e.getMessage());
        }
        atLeast(problems, prefix + ".max-tokens", judge.maxTokens(), 16);
        atLeast(problems, prefix + ".concurrency", judge.concurrency(), 1);
        problems.addAll(judge.problems(prefix));
        if (judge.cacheSize() < 0) {
            problems.add(prefix + ".cache-size must be >= 0, was " + judge.cacheSize());
        }
    }

    private static void atLeast(List<String> problems, String key, long value, long least) {
        if (value < least) {
            problems.add(key + " must be >= " + least + ", was " + value);
        }
    }
}
