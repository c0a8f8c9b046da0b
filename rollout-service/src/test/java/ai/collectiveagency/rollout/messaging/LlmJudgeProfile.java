package ai.collectiveagency.rollout.messaging;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/** The service with the LLM agreement judge, answered by {@link ScriptedJudgeResource}. */
public class LlmJudgeProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("rollout.agreement.judge", "llm",
                "rollout.agreement.llm.model", "scripted-judge",
                "rollout.agreement.llm.timeout", "5s",
                "rollout.agreement.llm.retry-delay", "10ms");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(ScriptedJudgeResource.class));
    }
}
