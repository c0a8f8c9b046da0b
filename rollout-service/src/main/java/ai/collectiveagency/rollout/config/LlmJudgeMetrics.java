package ai.collectiveagency.rollout.config;

import ai.collectiveagency.llm.ChatFailure;
import ai.collectiveagency.llm.ChatStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The LLM agreement judge's counters: requests sent ({@code rollout_agreement_llm_requests_total},
 * retries included), verdicts answered ({@code rollout_agreement_llm_answered_total}), attempts
 * retried and dialogues given up on (counted as not agreed), each by reason
 * ({@code rollout_agreement_llm_retries_total{reason}},
 * {@code rollout_agreement_llm_failed_total{reason}}).
 */
final class LlmJudgeMetrics {

    private LlmJudgeMetrics() {
    }

    static void register(ChatStats stats, MeterRegistry registry) {
        FunctionCounter.builder("rollout.agreement.llm.requests", stats, ChatStats::attempts)
                .description("Requests sent to the agreement judge, retries included")
                .register(registry);
        FunctionCounter.builder("rollout.agreement.llm.answered", stats, ChatStats::answered)
                .description("Dialogues the judge answered for with a valid verdict")
                .register(registry);
        for (ChatFailure reason : ChatFailure.values()) {
            FunctionCounter.builder("rollout.agreement.llm.retries", stats,
                            s -> s.retried(reason))
                    .description("Failed judge attempts that were tried again, by reason")
                    .tag("reason", reason.label())
                    .register(registry);
            FunctionCounter.builder("rollout.agreement.llm.failed", stats, s -> s.failed(reason))
                    .description("Dialogues whose every judge attempt failed (counted as not "
                            + "agreed), by the last reason")
                    .tag("reason", reason.label())
                    .register(registry);
        }
    }
}
