package ai.collectiveagency.demo.chaos;

import java.util.List;
import java.util.Map;

/**
 * Where every task of a run ended up.
 * {@code trained + heldOut + withoutSignal + deadLettered + inFlight + lost} is {@code tasks}:
 * each task counts once, in the first of those categories it belongs to.
 *
 * @param tasks distinct task ids written to {@code alignment.prompts}
 * @param trained tasks with a {@code trained} ledger entry
 * @param heldOut tasks evaluated as held out, not trained
 * @param withoutSignal tasks whose group's rewards were all equal, settled without training
 * @param deadLettered tasks on a DLQ with a reason (or dead-lettered by the trainer's ledger)
 * @param inFlight tasks not yet past a stage, by {@link #inFlightByStage}
 * @param lost tasks in none of the above: consumed by a stage that left nothing behind
 * @param trainedTwice tasks with more than one {@code trained} ledger entry
 * @param settledTwice tasks settled more than once in any way: trained, evaluated or settled
 *     without signal twice, or any of them and also dead-lettered
 * @param duplicatesSkipped the trainer's {@code duplicate} ledger entries: replayed groups it
 *     recognised and skipped
 * @param promptsWrittenTwice task ids that appear more than once on {@code alignment.prompts}
 * @param poisonInjected the poison records the run injected
 * @param poisonQuarantined of those, the ones found on a DLQ with a reason
 * @param inFlightByStage in-flight tasks by the stage they wait for
 * @param lostIds the lost task ids, for a human to follow up
 */
record Accounting(int tasks, int trained, int heldOut, int withoutSignal, int deadLettered,
        int inFlight, int lost,
        int trainedTwice, int settledTwice, int duplicatesSkipped, int promptsWrittenTwice,
        int poisonInjected, int poisonQuarantined, Map<Stage, Integer> inFlightByStage,
        List<String> lostIds) {

    /** The stage a task in flight waits for. */
    enum Stage {
        /** Its task is not yet consumed by the rollout-service. */
        ROLLOUT,
        /** Its group is not yet consumed by the reward-service. */
        REWARD,
        /** Its scored group is not yet behind the trainer's latest checkpoint. */
        TRAINER
    }

    Accounting {
        inFlightByStage = Map.copyOf(inFlightByStage);
        lostIds = List.copyOf(lostIds);
    }
}
