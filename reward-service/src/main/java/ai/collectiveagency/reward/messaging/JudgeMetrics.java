package ai.collectiveagency.reward.messaging;

import ai.collectiveagency.llm.ChatFailure;
import ai.collectiveagency.llm.ChatStats;
import ai.collectiveagency.reward.config.ScorerFactory;
import ai.collectiveagency.reward.judge.JudgeScorer;
import ai.collectiveagency.reward.scoring.GroupScorer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The judges' counters, tagged by scorer id: requests ({@code reward_judge_requests_total},
 * retries included), retries and failures by reason, and the cache hit rate.
 */
@ApplicationScoped
public class JudgeMetrics {

    void register(@Observes StartupEvent started, GroupScorer built, ScorerFactory factory,
            MeterRegistry registry) {
        for (JudgeScorer judge : factory.judges()) {
            ChatStats stats = judge.chat().stats();
            String id = judge.id();
            FunctionCounter.builder("reward.judge.requests", stats, ChatStats::attempts)
                    .tag("scorer", id).description("Requests sent to the judge, retries included")
                    .register(registry);
            for (ChatFailure reason : ChatFailure.values()) {
                FunctionCounter.builder("reward.judge.retries", stats, s -> s.retried(reason))
                        .tag("scorer", id).tag("reason", reason.label())
                        .description("Failed judge attempts tried again").register(registry);
                FunctionCounter.builder("reward.judge.failures", stats, s -> s.failed(reason))
                        .tag("scorer", id).tag("reason", reason.label())
                        .description("Texts the judge gave no valid answer for")
                        .register(registry);
            }
            Gauge.builder("reward.judge.cache.hit.rate", judge, j -> j.cacheLookups() == 0 ? 0
                    : j.cacheHits() / (double) j.cacheLookups())
                    .tag("scorer", id).description("Share of texts answered from the cache")
                    .register(registry);
        }
    }
}
