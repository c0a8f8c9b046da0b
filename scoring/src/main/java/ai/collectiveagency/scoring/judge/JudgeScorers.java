package ai.collectiveagency.scoring.judge;

import ai.collectiveagency.llm.ChatEndpoint;
import ai.collectiveagency.llm.ChatGuard;
import ai.collectiveagency.llm.JsonAnswerSchema;
import ai.collectiveagency.llm.JsonChat;
import ai.collectiveagency.llm.JsonMode;
import java.util.Optional;

/** Builds a {@link JudgeScorer} for an endpoint and a rubric (the service and the CLI). */
public final class JudgeScorers {

    private JudgeScorers() {
    }

    /**
     * @param self the endpoint is the rollout-service's API: the scorer version is the policy
     *     version that answered, and nothing is cached (the judge changes as it trains)
     */
    public static JudgeScorer create(ChatEndpoint endpoint, Rubric rubric, ChatGuard guard,
            JsonMode mode, double temperature, int maxTokens, int concurrency, long cacheSize,
            boolean self) {
        JsonChat chat = JsonChat.create(endpoint,
                JsonAnswerSchema.of(rubric.id().replace('-', '_') + "_scores",
                        rubric.answerSchema()), mode, guard);
        return new JudgeScorer(chat, rubric, temperature, maxTokens, concurrency,
                self ? 0 : cacheSize,
                self ? Optional.of(JudgeScorer.POLICY_VERSION_HEADER) : Optional.empty());
    }
}
