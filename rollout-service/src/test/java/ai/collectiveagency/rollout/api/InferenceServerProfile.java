package ai.collectiveagency.rollout.api;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The service as {@code ./pipeline inference-server} runs it (the {@code inference-server}
 * profile's keys over the test settings): no rollout stage, so no Kafka at all, checkpoints not
 * followed, runtime LoRA on with {@code target} as the store root.
 */
public class InferenceServerProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("rollout.stage.enabled", "false",
                "rollout.checkpoints.enabled", "false",
                "rollout.api.runtime-lora", "true",
                "rollout.api.max-loras", "2",
                "rollout.checkpoints.store-root", "target");
    }
}
