package ai.collectiveagency.prompts.config;

import ai.collectiveagency.llm.JsonChat;
import ai.collectiveagency.prompts.combinatorial.CombinatorialConfig;
import ai.collectiveagency.prompts.combinatorial.CombinatorialSource;
import ai.collectiveagency.prompts.dedup.DistinctTasks;
import ai.collectiveagency.prompts.dedup.MinHash;
import ai.collectiveagency.prompts.dedup.NearDuplicateFilter;
import ai.collectiveagency.prompts.llm.LlmTaskSource;
import ai.collectiveagency.prompts.mix.SourceMix;
import ai.collectiveagency.prompts.seeds.SeedLists;
import ai.collectiveagency.prompts.seeds.SeedMerge;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Optional;

/**
 * Makes the service's task stream from its {@link PromptGeneratorConfig}: checked first, then the
 * seed lists (shipped, extended or replaced), the combinatorial source, the LLM source when
 * {@code prompts.llm.share} is above 0, and the near-duplicate filter over both. Runs when the
 * messaging bean is made, so a bad value or seed file stops start-up.
 */
@ApplicationScoped
public class TaskSourceFactory {

    /** Near-duplicates in a row after which the seed lists count as exhausted. */
    static final int MAX_DROPS_IN_A_ROW = 10_000;

    @Produces
    @Singleton
    TaskSources taskSources(PromptGeneratorConfig config) {
        ConfigChecks.requireValid(config);
        SeedLists lists = config.seeds()
                .map(folder -> SeedLists.load(folder,
                        config.replaceSeeds() ? SeedMerge.REPLACE : SeedMerge.EXTEND))
                .orElseGet(SeedLists::shipped);
        CombinatorialConfig drawing = new CombinatorialConfig(config.seed(),
                config.negotiationShare(), config.heldOutShare(), Clock.systemUTC().instant());
        CombinatorialSource combinatorial = new CombinatorialSource(lists, drawing);
        PromptGeneratorConfig.Llm llm = config.llm();
        if (llm.share() == 0) {
            return new TaskSources(SourceMix.combinatorialOnly(combinatorial::task),
                    Optional.empty());
        }
        JsonChat chat = JsonChat.create(llm.endpoint(), LlmTaskSource.schema(), llm.jsonMode(),
                llm.guard());
        LlmTaskSource source = new LlmTaskSource(chat, lists, drawing, llm.temperature(),
                llm.maxTokens());
        return new TaskSources(new SourceMix(combinatorial::task, source::task, llm.share(),
                config.seed()), Optional.of(chat));
    }

    @Produces
    @Singleton
    DistinctTasks distinctTasks(PromptGeneratorConfig config, TaskSources sources) {
        NearDuplicateFilter filter =
                new NearDuplicateFilter(new MinHash(3, 128), 4, config.dedupThreshold());
        return new DistinctTasks(sources.mix(), filter, Clock.systemUTC(), MAX_DROPS_IN_A_ROW);
    }
}
