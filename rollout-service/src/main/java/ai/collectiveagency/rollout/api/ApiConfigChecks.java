package ai.collectiveagency.rollout.api;

import ai.collectiveagency.schemas.net.LoopbackHost;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks an {@link ApiConfig} and the address the API binds, so that a bad setting stops
 * start-up with a message naming its key: limits below 1, no key while keys are required,
 * {@code auth=none} on an address other hosts can reach.
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

    private static void atLeast(List<String> problems, String key, int value) {
        if (value < 1) {
            problems.add(key + " must be >= 1, was " + value);
        }
    }
}
