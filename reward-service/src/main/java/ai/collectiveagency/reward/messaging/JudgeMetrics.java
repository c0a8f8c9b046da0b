package ai.collectiveagency.reward.messaging;

import ai.collectiveagency.llm.ChatStatsMeters;
import ai.collectiveagency.reward.config.ScorerFactory;
import ai.collectiveagency.scoring.judge.JudgeScorer;
import ai.collectiveagency.scoring.GroupScorer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The judges' counters, tagged by scorer id ({@link ChatStatsMeters}:
 * {@code reward_judge_requests_total}, {@code _answered_total}, {@code _retries_total{reason}},
 * {@code _failures_total{reason}}), and the cache hit rate.
 */
@ApplicationScoped
public class JudgeMetrics {

    void register(@Observes StartupEvent started, GroupScorer built, ScorerFactory factory,
            MeterRegistry registry) {
        for (JudgeScorer judge : factory.judges()) {
            Tags scorer = Tags.of("scorer", judge.id());
            ChatStatsMeters.register(judge.chat().stats(), registry, "reward.judge", "failures",
                    scorer);
            Gauge.builder("reward.judge.cache.hit.rate", judge, j -> j.cacheLookups() == 0 ? 0
                    : j.cacheHits() / (double) j.cacheLookups())
                    .tags(scorer).description("Share of texts answered from the cache")
                    .register(registry);
        }
    }
}
