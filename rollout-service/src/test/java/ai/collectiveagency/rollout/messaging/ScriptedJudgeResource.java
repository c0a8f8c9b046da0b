package ai.collectiveagency.rollout.messaging;

import ai.collectiveagency.llm.ScriptedChatServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * An OpenAI-compatible judge on loopback that finds every dialogue agreed, for a
 * {@code @QuarkusTest} with {@code rollout.agreement.judge=llm}: its base URL goes to
 * {@code rollout.agreement.llm.base-url}.
 */
public class ScriptedJudgeResource implements QuarkusTestResourceLifecycleManager {

    static final String VERDICT = "{\"agreed\": true, \"reason\": \"both accept a shared rota\"}";

    private ScriptedChatServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = new ScriptedChatServer().then(ScriptedChatServer.answer(VERDICT));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("rollout.agreement.llm.base-url", server.baseUrl().toString());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
