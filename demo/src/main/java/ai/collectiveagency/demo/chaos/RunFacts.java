package ai.collectiveagency.demo.chaos;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a run left behind, as read once it has drained: everything
 * {@link Reconciliation#of(RunFacts)} accounts from.
 *
 * @param prompts the tasks on {@code alignment.prompts}, decoded (injected poison left out)
 * @param rollouts the groups on {@code alignment.rollouts} (poison left out)
 * @param scored the scored groups on {@code alignment.scored} (poison left out)
 * @param rolloutCommitted group {@code rollout-service}'s committed offsets on prompts, by
 *     partition; a partition without a commit is read from its start
 * @param rewardCommitted group {@code reward-service}'s committed offsets on rollouts
 * @param trainerConsumed the next scored offset to read, by partition, of the trainer's latest
 *     valid checkpoint; empty before its first checkpoint
 * @param ledger the trainer's ledger up to that checkpoint's version
 * @param deadLetters every record with a reason on the three stages' DLQs
 * @param poisonInjected the keys of the poison records the run injected
 */
record RunFacts(List<StageRecord> prompts, List<StageRecord> rollouts, List<StageRecord> scored,
        Map<Integer, Long> rolloutCommitted, Map<Integer, Long> rewardCommitted,
        Map<Integer, Long> trainerConsumed, List<LedgerEntry> ledger,
        List<DeadLetter> deadLetters, Set<String> poisonInjected) {

    RunFacts {
        prompts = List.copyOf(prompts);
        rollouts = List.copyOf(rollouts);
        scored = List.copyOf(scored);
        rolloutCommitted = Map.copyOf(rolloutCommitted);
        rewardCommitted = Map.copyOf(rewardCommitted);
        trainerConsumed = Map.copyOf(trainerConsumed);
        ledger = List.copyOf(ledger);
        deadLetters = List.copyOf(deadLetters);
        poisonInjected = Set.copyOf(poisonInjected);
    }
}
