package ai.collectiveagency.prompts.config;

import ai.collectiveagency.prompts.combinatorial.CombinatorialConfig;
import ai.collectiveagency.prompts.combinatorial.CombinatorialSource;
import ai.collectiveagency.prompts.dedup.DistinctTasks;
import ai.collectiveagency.prompts.dedup.MinHash;
import ai.collectiveagency.prompts.dedup.NearDuplicateFilter;
import ai.collectiveagency.prompts.seeds.SeedLists;
import ai.collectiveagency.prompts.seeds.SeedMerge;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * Makes the service's task stream from its {@link PromptGeneratorConfig}: checked first, then the
 * seed lists (shipped, extended or replaced), the combinatorial source and the near-duplicate
 * filter. Runs when the messaging bean is made, so a bad value or seed file stops start-up.
 */
@ApplicationScoped
public class TaskSourceFactory {

    /** Near-duplicates in a row after which the seed lists count as exhausted. */
    static final int MAX_DROPS_IN_A_ROW = 10_000;

    @Produces
    @Singleton
    DistinctTasks distinctTasks(PromptGeneratorConfig config) {
        ConfigChecks.requireValid(config);
        SeedLists lists = config.seeds()
                .map(folder -> SeedLists.load(folder,
                        config.replaceSeeds() ? SeedMerge.REPLACE : SeedMerge.EXTEND))
                .orElseGet(SeedLists::shipped);
        Clock clock = Clock.systemUTC();
        CombinatorialSource source = new CombinatorialSource(lists, new CombinatorialConfig(
                config.seed(), config.negotiationShare(), config.heldOutShare(), clock.instant()));
        NearDuplicateFilter filter =
                new NearDuplicateFilter(new MinHash(3, 128), 4, config.dedupThreshold());
        return new DistinctTasks(source::task, filter, clock, MAX_DROPS_IN_A_ROW);
    }
}
