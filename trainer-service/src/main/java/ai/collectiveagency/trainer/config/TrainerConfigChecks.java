package ai.collectiveagency.trainer.config;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a {@link TrainerConfig} as a whole, so that a setting that cannot work stops start-up
 * with its key and the reason, e.g. {@code trainer.groups-per-step must be >= 1, was 0}.
 */
public final class TrainerConfigChecks {

    private TrainerConfigChecks() {
    }

    /** Throws {@link IllegalArgumentException} listing every bad value, one per line. */
    public static void requireValid(TrainerConfig config) {
        List<String> problems = problems(config);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(
                    "invalid configuration:\n  " + String.join("\n  ", problems));
        }
    }

    /** One line per bad value; empty when all are good. */
    public static List<String> problems(TrainerConfig config) {
        List<String> problems = new ArrayList<>();
        if (!Files.isRegularFile(config.model().resolve("config.json"))) {
            problems.add("trainer.model must be a Hugging Face model folder with a config.json, "
                    + "was " + config.model().toAbsolutePath());
        }
        if (!(config.learningRate() > 0) || Double.isInfinite(config.learningRate())) {
            problems.add("trainer.learning-rate must be > 0, was " + config.learningRate());
        }
        atLeast(problems, "trainer.warmup-steps", config.warmupSteps(), 0);
        if (!(config.beta() >= 0) || Double.isInfinite(config.beta())) {
            problems.add("trainer.beta must be >= 0, was " + config.beta());
        }
        if (!(config.epsilonLow() >= 0 && config.epsilonLow() < 1)) {
            problems.add("trainer.epsilon-low must lie in [0, 1), was " + config.epsilonLow());
        }
        if (!(config.epsilonHigh() >= 0) || Double.isInfinite(config.epsilonHigh())) {
            problems.add("trainer.epsilon-high must be >= 0, was " + config.epsilonHigh());
        }
        if (!(config.maxGradNorm() > 0)) {
            problems.add("trainer.max-grad-norm must be > 0, was " + config.maxGradNorm());
        }
        atLeast(problems, "trainer.max-completion-length", config.maxCompletionLength(), 1);
        atLeast(problems, "trainer.groups-per-step", config.groupsPerStep(), 1);
        atLeast(problems, "trainer.micro-batch-rows", config.microBatchRows(), 1);
        atLeast(problems, "trainer.max-staleness", config.maxStaleness(), 0);
        atLeast(problems, "trainer.checkpoint-every", config.checkpointEvery(), 1);
        atLeast(problems, "trainer.checkpoint-every-settled", config.checkpointEverySettled(), 1);
        atLeast(problems, "trainer.max-steps", config.maxSteps(), 0);
        atLeast(problems, "trainer.checkpoints.keep", config.checkpoints().keep(), 1);
        for (long version : config.checkpoints().pinned().orElse(List.of())) {
            atLeast(problems, "trainer.checkpoints.pinned", version, 1);
        }
        atLeast(problems, "trainer.dedup.expected-groups", config.dedup().expectedGroups(), 1);
        double rate = config.dedup().falsePositiveRate();
        if (!(rate > 0 && rate < 1)) {
            problems.add("trainer.dedup.false-positive-rate must lie in (0, 1), was " + rate);
        }
        if (config.health().stallAfter().isNegative() || config.health().stallAfter().isZero()) {
            problems.add("trainer.health.stall-after must be positive, was "
                    + config.health().stallAfter());
        }
        if (config.mode() == TrainerConfig.Mode.LORA) {
            atLeast(problems, "trainer.lora.rank", config.lora().rank(), 1);
            if (!(config.lora().alpha() > 0)) {
                problems.add("trainer.lora.alpha must be > 0, was " + config.lora().alpha());
            }
            if (config.lora().targetModules().isEmpty()) {
                problems.add("trainer.lora.target-modules must name at least one projection");
            }
        }
        return problems;
    }

    private static void atLeast(List<String> problems, String key, long value, long least) {
        if (value < least) {
            problems.add(key + " must be >= " + least + ", was " + value);
        }
    }
}
