package ai.collectiveagency.demo.chaos;

import ai.collectiveagency.demo.chaos.Accounting.Stage;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Accounts for every task id ever written to {@code alignment.prompts}, from the facts a drained
 * run left behind. A task is, in this order of precedence:
 *
 * <ol>
 *   <li>trained: the trainer's ledger has a {@code trained} entry for it;
 *   <li>held out: a {@code held_out} entry;
 *   <li>without signal: a {@code no_signal} entry (its rewards were all equal);
 *   <li>dead-lettered: its key is on a DLQ with a reason, or a {@code dead_lettered} entry;
 *   <li>in flight: a record of it that a stage has not consumed yet: its task at or after
 *       group {@code rollout-service}'s committed offset, its group at or after group
 *       {@code reward-service}'s, or its scored group at or after the trainer's latest
 *       checkpoint's offsets;
 *   <li>lost: none of these, so a stage consumed it and left nothing behind.
 * </ol>
 *
 * Being in more than one of the first three is counted as settled twice; two {@code trained}
 * entries as trained twice.
 */
final class Reconciliation {

    private Reconciliation() {
    }

    static Accounting of(RunFacts facts) {
        Map<String, Integer> written = counts(facts.prompts().stream()
                .map(StageRecord::taskId).toList());
        Map<String, Integer> trained = new HashMap<>();
        Map<String, Integer> heldOut = new HashMap<>();
        Map<String, Integer> withoutSignal = new HashMap<>();
        Set<String> deadLettered = new HashSet<>();
        int duplicatesSkipped = 0;
        for (LedgerEntry entry : facts.ledger()) {
            switch (entry.kind()) {
                case TRAINED -> trained.merge(entry.taskId(), 1, Integer::sum);
                case HELD_OUT -> heldOut.merge(entry.taskId(), 1, Integer::sum);
                case NO_SIGNAL -> withoutSignal.merge(entry.taskId(), 1, Integer::sum);
                case DEAD_LETTERED -> deadLettered.add(entry.taskId());
                case DUPLICATE -> duplicatesSkipped++;
            }
        }
        Set<String> letterKeys = new HashSet<>();
        facts.deadLetters().forEach(letter -> letterKeys.add(letter.key()));
        deadLettered.addAll(letterKeys);
        Map<Stage, Set<String>> waiting = new EnumMap<>(Stage.class);
        waiting.put(Stage.ROLLOUT, notYetConsumed(facts.prompts(), facts.rolloutCommitted()));
        waiting.put(Stage.REWARD, notYetConsumed(facts.rollouts(), facts.rewardCommitted()));
        waiting.put(Stage.TRAINER, notYetConsumed(facts.scored(), facts.trainerConsumed()));

        Tally tally = new Tally();
        for (String task : written.keySet()) {
            int timesTrained = trained.getOrDefault(task, 0);
            int timesHeldOut = heldOut.getOrDefault(task, 0);
            int timesWithoutSignal = withoutSignal.getOrDefault(task, 0);
            boolean dead = deadLettered.contains(task);
            if (timesTrained > 1) {
                tally.trainedTwice++;
            }
            if (timesTrained + timesHeldOut + timesWithoutSignal + (dead ? 1 : 0) > 1) {
                tally.settledTwice++;
            }
            if (timesTrained > 0) {
                tally.trained++;
            } else if (timesHeldOut > 0) {
                tally.heldOut++;
            } else if (timesWithoutSignal > 0) {
                tally.withoutSignal++;
            } else if (dead) {
                tally.deadLettered++;
            } else {
                waitingAt(task, waiting).ifPresentOrElse(
                        stage -> tally.inFlight.merge(stage, 1, Integer::sum),
                        () -> tally.lost.add(task));
            }
        }
        int quarantined = (int) facts.poisonInjected().stream().filter(letterKeys::contains)
                .count();
        int writtenTwice = (int) written.values().stream().filter(n -> n > 1).count();
        return new Accounting(written.size(), tally.trained, tally.heldOut,
                tally.withoutSignal, tally.deadLettered,
                tally.inFlight.values().stream().mapToInt(Integer::intValue).sum(),
                tally.lost.size(), tally.trainedTwice, tally.settledTwice, duplicatesSkipped,
                writtenTwice, facts.poisonInjected().size(), quarantined, tally.inFlight,
                tally.lost);
    }

    /** The running counts of {@link #of}. */
    private static final class Tally {
        int trained;
        int heldOut;
        int withoutSignal;
        int deadLettered;
        int trainedTwice;
        int settledTwice;
        final Map<Stage, Integer> inFlight = new EnumMap<>(Stage.class);
        final List<String> lost = new ArrayList<>();
    }

    /** The first stage, in pipeline order, that still has a record of {@code task} to read. */
    private static Optional<Stage> waitingAt(String task,
            Map<Stage, Set<String>> waiting) {
        for (Stage stage : Stage.values()) {
            if (waiting.get(stage).contains(task)) {
                return Optional.of(stage);
            }
        }
        return Optional.empty();
    }

    /**
     * The tasks of the records at or after the consumer's position in their partition; a
     * partition without a position is read from its start, so all of its records count.
     */
    private static Set<String> notYetConsumed(List<StageRecord> records,
            Map<Integer, Long> positions) {
        Set<String> tasks = new HashSet<>();
        for (StageRecord record : records) {
            if (record.offset() >= positions.getOrDefault(record.partition(), 0L)) {
                tasks.add(record.taskId());
            }
        }
        return tasks;
    }

    /** How often each value occurs, in the order values first occur. */
    private static Map<String, Integer> counts(List<String> values) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        values.forEach(value -> counts.merge(value, 1, Integer::sum));
        return counts;
    }
}
