package ai.collectiveagency.llm;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * A {@link JsonChat}'s {@link ChatStats} as Micrometer counters under one prefix:
 * {@code <prefix>.requests} (retries included), {@code <prefix>.answered},
 * {@code <prefix>.retries{reason}} and {@code <prefix>.<failed>{reason}}, where each service
 * names what a request given up on means to it (a task dropped, a dialogue not agreed, a text
 * unscored).
 *
 * <pre>{@code
 * ChatStatsMeters.register(chat.stats(), registry, "prompts.llm", "dropped", Tags.empty());
 * }</pre>
 */
public final class ChatStatsMeters {

    private ChatStatsMeters() {
    }

    /**
     * @param failed the last part of the name of the counter of requests given up on
     * @param tags added to every counter, e.g. the scorer's id
     */
    public static void register(ChatStats stats, MeterRegistry registry, String prefix,
            String failed, Tags tags) {
        FunctionCounter.builder(prefix + ".requests", stats, ChatStats::attempts)
                .description("Requests sent to the model, retries included")
                .tags(tags).register(registry);
        FunctionCounter.builder(prefix + ".answered", stats, ChatStats::answered)
                .description("Requests that ended with an answer matching the schema")
                .tags(tags).register(registry);
        for (ChatFailure reason : ChatFailure.values()) {
            Tags tagged = tags.and("reason", reason.label());
            FunctionCounter.builder(prefix + ".retries", stats, s -> s.retried(reason))
                    .description("Failed attempts that were tried again, by reason")
                    .tags(tagged).register(registry);
            FunctionCounter.builder(prefix + "." + failed, stats, s -> s.failed(reason))
                    .description("Requests given up on after every attempt failed, by the last "
                            + "reason")
                    .tags(tagged).register(registry);
        }
    }
}
