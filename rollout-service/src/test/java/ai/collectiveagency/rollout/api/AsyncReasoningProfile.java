package ai.collectiveagency.rollout.api;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The API serving {@code qwen3-tiny-random} (512 positions) with short asynchronous-reasoning
 * prompts ({@code src/test/resources/async-reasoning-prompts}) that leave room for both streams;
 * no rollout stage, so no Kafka.
 */
public class AsyncReasoningProfile implements QuarkusTestProfile {

    static final int MAX_THINKER_TOKENS = 450;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("rollout.stage.enabled", "false",
                "rollout.checkpoints.enabled", "false",
                "rollout.model", "../models/qwen3-tiny-random",
                "rollout.api.reasoning.prompts", "src/test/resources/async-reasoning-prompts",
                "rollout.api.reasoning.default-thinker-tokens", "30",
                "rollout.api.reasoning.max-thinker-tokens",
                Integer.toString(MAX_THINKER_TOKENS));
    }
}
