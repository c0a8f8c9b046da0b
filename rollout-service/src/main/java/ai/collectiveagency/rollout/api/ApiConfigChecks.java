package ai.collectiveagency.rollout.api;

import ai.collectiveagency.policy.reasoning.AsyncReasoningPrompts;
import ai.collectiveagency.schemas.net.LoopbackHost;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks an {@link ApiConfig} and the address the API binds, so that a bad setting stops
 * start-up with a message naming its key: limits below 1, no key while keys are required,
 * {@code auth=none} on an address other hosts can reach, a reasoning prompts folder that is
 * missing or whose files are unusable.
 */
public final class ApiConfigChecks {

    private ApiConfigChecks() {
    }

    /** Throws {@link IllegalArgumentException} listing every problem, one per line. */
    public static void requireValid(ApiConfig config, String boundHost) {
        List<String> problems = problems(config, boundHost);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(
                    "invalid configuration:\n  " + String.join("\n  ", problems));
        }
    }

    /** One line per problem; empty when all is well. */
    public static List<String> problems(ApiConfig config, String boundHost) {
        List<String> problems = new ArrayList<>();
        atLeast(problems, "rollout.api.max-n", config.maxN());
        atLeast(problems, "rollout.api.max-sequences", config.maxSequences());
        atLeast(problems, "rollout.api.max-queued", config.maxQueued());
        atLeast(problems, "rollout.api.default-max-tokens", config.defaultMaxTokens());
        atLeast(problems, "rollout.api.max-batch-sequences", config.maxBatchSequences());
        if (config.batchWindow().isNegative() || config.batchWindow().toMillis() > 1000) {
            problems.add("rollout.api.batch-window must lie in [0, 1s], was "
                    + config.batchWindow());
        }
        atLeast(problems, "rollout.api.max-loras", config.maxLoras());
        reasoning(problems, config.reasoning());
        if (config.timeout().isNegative() || config.timeout().isZero()) {
            problems.add("rollout.api.timeout must be > 0, was " + config.timeout());
        }
        if (config.auth() == ApiConfig.Auth.API_KEY && ApiKeys.of(config).isEmpty()) {
            problems.add("rollout.api.keys (env ROLLOUT_API_KEYS) must list at least one API "
                    + "key, comma-separated; or set rollout.api.auth=none to serve without "
                    + "authentication on a loopback address");
        }
        if (config.auth() == ApiConfig.Auth.NONE && !LoopbackHost.is(boundHost)) {
            problems.add("rollout.api.auth=none is only allowed while the API binds a loopback "
                    + "address (quarkus.http.host=127.0.0.1, localhost or ::1), but it binds '"
                    + boundHost + "', where other hosts could call it without a key");
        }
        return problems;
    }

    /** The thinker budgets, and the prompts folder read as a request would read it. */
    private static void reasoning(List<String> problems, ApiConfig.Reasoning reasoning) {
        atLeast(problems, "rollout.api.reasoning.max-thinker-tokens",
                reasoning.maxThinkerTokens());
        if (reasoning.defaultThinkerTokens() < 0
                || reasoning.defaultThinkerTokens() > reasoning.maxThinkerTokens()) {
            problems.add("rollout.api.reasoning.default-thinker-tokens must lie in [0, "
                    + "rollout.api.reasoning.max-thinker-tokens = "
                    + reasoning.maxThinkerTokens() + "], was " + reasoning.defaultThinkerTokens());
        }
        reasoning.prompts().ifPresent(folder -> {
            if (!Files.isDirectory(folder)) {
                problems.add("rollout.api.reasoning.prompts must be a folder of prompt files, but "
                        + folder.toAbsolutePath() + " is not one");
                return;
            }
            try {
                AsyncReasoningPrompts.load(folder);
            } catch (RuntimeException e) {
                problems.add("rollout.api.reasoning.prompts (" + folder.toAbsolutePath() + "): "
                        + e.getMessage());
            }
        });
    }

    private static void atLeast(List<String> problems, String key, int value) {
        if (value < 1) {
            problems.add(key + " must be >= 1, was " + value);
        }
    }
}
