package ai.collectiveagency.rollout.messaging;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * The service with {@code rollout.generation=remote}, its one engine a
 * {@link ScriptedEngineResource}: one retry per request, two attempts per task before the DLQ.
 * Negotiation turns ask for {@value ScriptedEngineResource#FAILING_MAX_TOKENS} tokens and single
 * answers for {@value ScriptedEngineResource#ANSWERED_MAX_TOKENS}, which is how the engine tells
 * them apart.
 */
public class RemoteGenerationProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("rollout.generation", "remote",
                "rollout.remote.max-retries", "1",
                "rollout.remote.retry-delay", "10ms",
                "rollout.remote.timeout", "10s",
                "rollout.stage.max-attempts", "2",
                "rollout.dialogue.max-tokens",
                        String.valueOf(ScriptedEngineResource.FAILING_MAX_TOKENS),
                "rollout.answer.max-tokens",
                        String.valueOf(ScriptedEngineResource.ANSWERED_MAX_TOKENS));
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(ScriptedEngineResource.class));
    }
}
