package ai.collectiveagency.demo.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import ai.collectiveagency.demo.chaos.Accounting.Stage;
import ai.collectiveagency.demo.chaos.LedgerEntry.Kind;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The accounting of {@code ./pipeline chaos} over hand-made runs: one partition per topic, a
 * handful of tasks, each placed in the category under test.
 */
class ReconciliationTest {

    private static final TopicCatalogue TOPICS = TopicCatalogue.defaults();

    private final List<StageRecord> prompts = new ArrayList<>();
    private final List<StageRecord> rollouts = new ArrayList<>();
    private final List<StageRecord> scored = new ArrayList<>();
    private final Map<Integer, Long> rolloutCommitted = new HashMap<>();
    private final Map<Integer, Long> rewardCommitted = new HashMap<>();
    private final Map<Integer, Long> trainerConsumed = new HashMap<>();
    private final List<LedgerEntry> ledger = new ArrayList<>();
    private final List<DeadLetter> deadLetters = new ArrayList<>();

    @Test
    void aTaskThroughEveryStageAndTrainedOnceIsTrained() {
        passedEveryStage("t-0");
        ledger.add(trained("t-0"));

        Accounting accounting = reconcile(Set.of());

        assertThat(accounting.tasks()).isEqualTo(1);
        assertThat(accounting.trained()).isEqualTo(1);
        assertThat(accounting.lost()).isZero();
        assertThat(accounting.trainedTwice()).isZero();
        assertThat(accounting.settledTwice()).isZero();
    }

    @Test
    void everyTaskIsInExactlyOneCategory() {
        passedEveryStage("trained");
        ledger.add(trained("trained"));
        passedEveryStage("held-out");
        ledger.add(new LedgerEntry(Kind.HELD_OUT, "held-out", "held-out-g", 2));
        passedEveryStage("no-signal");
        ledger.add(new LedgerEntry(Kind.NO_SIGNAL, "no-signal", "no-signal-g", 2));
        write(prompts, "dead-at-rollout");
        deadLetters.add(new DeadLetter(TOPICS.dlqName(LogicalTopic.PROMPTS), "dead-at-rollout",
                "undecodable"));
        passedEveryStage("dead-at-trainer");
        ledger.add(new LedgerEntry(Kind.DEAD_LETTERED, "dead-at-trainer", null, 2));
        passedEveryStage("lost-at-trainer");
        write(prompts, "lost-at-reward");
        write(rollouts, "lost-at-reward");
        write(prompts, "lost-at-rollout");
        commitAll();
        write(prompts, "waits-for-trainer");
        write(rollouts, "waits-for-trainer");
        write(scored, "waits-for-trainer");
        write(prompts, "waits-for-reward");
        write(rollouts, "waits-for-reward");
        rolloutCommitted.put(0, (long) prompts.size());
        rewardCommitted.put(0, (long) rollouts.size() - 1);
        write(prompts, "waits-for-rollout");

        Accounting accounting = reconcile(Set.of());

        assertThat(accounting.tasks()).isEqualTo(11);
        assertThat(accounting.trained()).isEqualTo(1);
        assertThat(accounting.heldOut()).isEqualTo(1);
        assertThat(accounting.withoutSignal()).isEqualTo(1);
        assertThat(accounting.deadLettered()).isEqualTo(2);
        assertThat(accounting.inFlight()).isEqualTo(3);
        assertThat(accounting.inFlightByStage()).containsExactlyInAnyOrderEntriesOf(Map.of(
                Stage.ROLLOUT, 1, Stage.REWARD, 1, Stage.TRAINER, 1));
        assertThat(accounting.lost()).isEqualTo(3);
        assertThat(accounting.lostIds()).containsExactlyInAnyOrder("lost-at-trainer",
                "lost-at-reward", "lost-at-rollout");
        assertThat(accounting.trained() + accounting.heldOut() + accounting.withoutSignal()
                + accounting.deadLettered() + accounting.inFlight() + accounting.lost())
                .isEqualTo(accounting.tasks());
    }

    @Test
    void beforeAnyCommitOrCheckpointEveryRecordIsStillToBeRead() {
        write(prompts, "t-0");
        write(prompts, "t-1");
        write(rollouts, "t-1");
        write(scored, "t-1");

        Accounting accounting = reconcile(Set.of());

        assertThat(accounting.inFlight()).isEqualTo(2);
        assertThat(accounting.inFlightByStage()).containsEntry(Stage.ROLLOUT, 2);
        assertThat(accounting.lost()).isZero();
    }

    @Test
    void twoTrainedEntriesOfOneTaskAreTrainedTwiceAndCountedOnce() {
        passedEveryStage("t-0");
        write(rollouts, "t-0");
        write(scored, "t-0");
        ledger.add(trained("t-0"));
        ledger.add(trained("t-0"));

        Accounting accounting = reconcile(Set.of());

        assertThat(accounting.tasks()).isEqualTo(1);
        assertThat(accounting.trained()).isEqualTo(1);
        assertThat(accounting.trainedTwice()).isEqualTo(1);
        assertThat(accounting.settledTwice()).isEqualTo(1);
    }

    @Test
    void aReplaySkippedByTheTrainerIsADuplicateButNotTrainedTwice() {
        passedEveryStage("t-0");
        write(rollouts, "t-0");
        write(scored, "t-0");
        commitAll();
        ledger.add(trained("t-0"));
        ledger.add(new LedgerEntry(Kind.DUPLICATE, "t-0", "t-0-g", 2));

        Accounting accounting = reconcile(Set.of());

        assertThat(accounting.trainedTwice()).isZero();
        assertThat(accounting.duplicatesSkipped()).isEqualTo(1);
        assertThat(accounting.lost()).isZero();
    }

    @Test
    void trainedAndAlsoDeadLetteredIsSettledTwice() {
        passedEveryStage("t-0");
        ledger.add(trained("t-0"));
        deadLetters.add(new DeadLetter(TOPICS.dlqName(LogicalTopic.ROLLOUTS), "t-0",
                "scoring failed"));
        // The trainer's own dead letter is one settlement, in the ledger and on its DLQ.
        passedEveryStage("t-1");
        ledger.add(new LedgerEntry(Kind.DEAD_LETTERED, "t-1", "t-1-g", 2));
        deadLetters.add(new DeadLetter(TOPICS.dlqName(LogicalTopic.SCORED), "t-1", "unfit"));

        Accounting accounting = reconcile(Set.of());

        assertThat(accounting.trained()).isEqualTo(1);
        assertThat(accounting.deadLettered()).isEqualTo(1);
        assertThat(accounting.settledTwice()).isEqualTo(1);
    }

    @Test
    void aTaskWrittenTwiceToPromptsIsOneTask() {
        write(prompts, "t-0");
        passedEveryStage("t-0");
        ledger.add(trained("t-0"));

        Accounting accounting = reconcile(Set.of());

        assertThat(accounting.tasks()).isEqualTo(1);
        assertThat(accounting.promptsWrittenTwice()).isEqualTo(1);
        assertThat(accounting.trained()).isEqualTo(1);
    }

    @Test
    void injectedPoisonIsQuarantinedWhenOnADeadLetterTopic() {
        String promptsTopic = TOPICS.name(LogicalTopic.PROMPTS);
        String scoredTopic = TOPICS.name(LogicalTopic.SCORED);
        deadLetters.add(new DeadLetter(TOPICS.dlqName(LogicalTopic.PROMPTS),
                PoisonRecords.garbageKey(promptsTopic, 1), "undecodable"));
        deadLetters.add(new DeadLetter(TOPICS.dlqName(LogicalTopic.SCORED),
                PoisonRecords.tombstoneKey(scoredTopic), "tombstone"));

        Accounting accounting = reconcile(Set.of(PoisonRecords.garbageKey(promptsTopic, 1),
                PoisonRecords.tombstoneKey(promptsTopic), PoisonRecords.tombstoneKey(scoredTopic)));

        assertThat(accounting.poisonInjected()).isEqualTo(3);
        assertThat(accounting.poisonQuarantined()).isEqualTo(2);
        assertThat(accounting.tasks()).isZero();
        assertThat(accounting.deadLettered()).as("poison is not a task").isZero();
    }

    private Accounting reconcile(Set<String> poison) {
        return Reconciliation.of(new RunFacts(prompts, rollouts, scored, rolloutCommitted,
                rewardCommitted, trainerConsumed, ledger, deadLetters, poison));
    }

    /** {@code task} on all three topics, and every stage's position after it. */
    private void passedEveryStage(String task) {
        write(prompts, task);
        write(rollouts, task);
        write(scored, task);
        commitAll();
    }

    private void commitAll() {
        rolloutCommitted.put(0, (long) prompts.size());
        rewardCommitted.put(0, (long) rollouts.size());
        trainerConsumed.put(0, (long) scored.size());
    }

    private static void write(List<StageRecord> topic, String task) {
        topic.add(new StageRecord(task, 0, topic.size()));
    }

    private static LedgerEntry trained(String task) {
        return new LedgerEntry(Kind.TRAINED, task, task + "-g", 2);
    }
}
