package ai.collectiveagency.rollout.messaging;

import ai.collectiveagency.rollout.remote.ScriptedEngine;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * A vLLM-compatible engine on loopback for a {@code @QuarkusTest} with
 * {@code rollout.generation=remote} ({@link RemoteGenerationProfile}): it answers every request
 * for {@value #ANSWERED_MAX_TOKENS} tokens (a single-agent answer) with {@link #ANSWER}, and every
 * other request (a negotiation turn) with 503, as an engine that is down. Its base URL goes to
 * {@code rollout.remote.urls}.
 */
public class ScriptedEngineResource implements QuarkusTestResourceLifecycleManager {

    static final int ANSWERED_MAX_TOKENS = 6;
    static final int FAILING_MAX_TOKENS = 8;
    /** Two ids of the tiny model's vocabulary, then its end-of-sequence id (378). */
    static final int[] ANSWER = {100, 200, 378};
    static final double[] ANSWER_LOGPROBS = {-0.25, -1.5, -0.125};

    private ScriptedEngine engine;

    @Override
    public Map<String, String> start() {
        try {
            engine = new ScriptedEngine(call -> call.body().path("max_tokens").asInt()
                    == ANSWERED_MAX_TOKENS ? ScriptedEngine.completion(ANSWER, ANSWER_LOGPROBS,
                    "stop")
                    : ScriptedEngine.error(503, "the engine is down"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("rollout.remote.urls", engine.baseUrl().toString());
    }

    @Override
    public void stop() {
        if (engine != null) {
            engine.close();
        }
    }
}
