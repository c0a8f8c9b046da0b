package ai.collectiveagency.prompts.messaging;

import ai.collectiveagency.llm.ChatFailure;
import ai.collectiveagency.llm.ChatStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The LLM task source's counters: requests sent ({@code prompts_llm_requests_total}, retries
 * included), tasks answered ({@code prompts_llm_answered_total}), attempts retried and tasks
 * dropped, each by reason ({@code prompts_llm_retries_total{reason}},
 * {@code prompts_llm_dropped_total{reason}}).
 */
final class LlmSourceMetrics {

    private LlmSourceMetrics() {
    }

    static void register(ChatStats stats, MeterRegistry registry) {
        FunctionCounter.builder("prompts.llm.requests", stats, ChatStats::attempts)
                .description("Requests sent to the task-writing model, retries included")
                .register(registry);
        FunctionCounter.builder("prompts.llm.answered", stats, ChatStats::answered)
                .description("Tasks the model wrote that matched the schema")
                .register(registry);
        for (ChatFailure reason : ChatFailure.values()) {
            FunctionCounter.builder("prompts.llm.retries", stats, s -> s.retried(reason))
                    .description("Failed attempts that were tried again, by reason")
                    .tag("reason", reason.label())
                    .register(registry);
            FunctionCounter.builder("prompts.llm.dropped", stats, s -> s.failed(reason))
                    .description("Tasks dropped after every attempt failed, by the last reason")
                    .tag("reason", reason.label())
                    .register(registry);
        }
    }
}
