package ai.collectiveagency.trainer.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.kafka.LocalKafka;
import ai.collectiveagency.policy.lora.PeftAdapterFiles;
import ai.collectiveagency.schemas.ScoredGroup;
import ai.collectiveagency.schemas.TrainingMetrics;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import ai.collectiveagency.trainer.LedgerView;
import ai.collectiveagency.trainer.TestGroups;
import ai.collectiveagency.trainer.checkpoint.CheckpointDirectory;
import ai.collectiveagency.trainer.checkpoint.TrainerState;
import ai.collectiveagency.trainer.loop.TestLoop.Recorded;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DAPO's dynamic sampling on the real broker, with the loop driven directly (two groups a step,
 * a checkpoint every step, the tiny model): a group whose rewards are all equal teaches nothing,
 * so it is settled without training. Mixed into the stream, such groups leave the weights and
 * optimizer state bit for bit where the other groups alone leave them, and no step is made of
 * them: a step on them alone would have moved the weights through AdamW's momentum. Their
 * rewards still count in the next step's figures.
 */
class DynamicSamplingTest {

    private static final Duration DEADLINE = TestLoop.DEADLINE;
    private static final String OPTIMIZER = "optimizer/optimizer.safetensors";

    private static LocalKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = LocalKafka.startTemporary();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    private static final List<ScoredGroup> TRAINING = List.of(
            TestGroups.group("t-1", 0, 1, 0, 0.5, 0.2),
            TestGroups.group("t-2", 0, 0, 1, 0.3, 0.9),
            TestGroups.group("t-3", 0, 0.1, 0.7, 0.4, Double.NaN),
            TestGroups.group("t-4", 0, 0.9, 0.1, 0.5, 0));
    /** Groups without signal: equal rewards, one reward only, none at all. */
    private static final List<ScoredGroup> MIX = List.of(TRAINING.get(0),
            TestGroups.group("n-1", 0, 3, 3, 3, 3),
            TRAINING.get(1),
            TestGroups.group("n-2", 1, 3, Double.NaN, 3, 3),
            TestGroups.group("n-3", 1, Double.NaN, 3, Double.NaN, Double.NaN),
            TRAINING.get(2),
            TestGroups.group("n-4", 1, Double.NaN, Double.NaN, Double.NaN, Double.NaN),
            TRAINING.get(3));

    @Test
    void groupsWithoutSignalAreSettledWithoutAStepAndTheRestTrainBitForBitAsAlone(
            @TempDir Path mixStore, @TempDir Path referenceStore) throws Exception {
        TopicCatalogue mixTopics = TopicCatalogue.withPrefix("mix.");
        Recorded mixed = train(mixTopics.prefix(), mixStore, MIX, Map.of());
        Recorded reference = train("reference.", referenceStore, TRAINING, Map.of());

        for (String version : List.of("v000001", "v000002")) {
            for (String file : List.of(PeftAdapterFiles.WEIGHTS_FILE, OPTIMIZER)) {
                assertThat(Files.mismatch(mixStore.resolve(version).resolve(file),
                        referenceStore.resolve(version).resolve(file)))
                        .as(version + "/" + file + " equals training on t-1..t-4 alone")
                        .isEqualTo(-1);
            }
        }
        LedgerView ledger = LedgerView.of(mixStore.resolve("v000002"));
        assertThat(ledger.steps()).containsExactly(List.of("t-1", "t-2"), List.of("t-3", "t-4"));
        assertThat(ledger.noSignal()).containsExactly("n-1@0", "n-2@1", "n-3@1", "n-4@1");
        assertThat(ledger.deadLettered()).isEmpty();
        assertThat(TrainerState.read(mixStore.resolve("v000002")).consumedOffsets())
                .containsEntry(mixTopics.name(LogicalTopic.SCORED) + "-0", 8L);
        assertThat(mixed.listener().withoutSignal).hasValue(4);

        List<TrainingMetrics> steps = mixed.topics().metrics(2, DEADLINE);
        List<TrainingMetrics> alone = reference.topics().metrics(2, DEADLINE);
        for (int i = 0; i < 2; i++) {
            for (String name : List.of("groups", "loss", "tokens", "grad_norm")) {
                assertThat(steps.get(i).getMetrics().get(name)).as("step " + (i + 1) + " " + name)
                        .isEqualTo(alone.get(i).getMetrics().get(name));
            }
        }
        // Step 1 read t-1, n-1, t-2: n-1's four rewards of 3 are in its figures.
        Map<String, Double> first = steps.get(0).getMetrics();
        assertThat(first).containsEntry("groups", 2.0).containsEntry("groups_without_signal", 1.0)
                .containsEntry("zero_advantage_share", 1 / 3.0);
        assertThat(first.get("reward_mean"))
                .isCloseTo((1 + 0 + 0.5 + 0.2 + 0 + 1 + 0.3 + 0.9 + 4 * 3) / 12, within(1e-12));
        assertThat(first.get("reward_group_min")).isCloseTo((0 + 3 + 0) / 3.0, within(1e-12));
        assertThat(alone.get(0).getMetrics()).containsEntry("groups_without_signal", 0.0)
                .containsEntry("zero_advantage_share", 0.0);
        // Step 2 read n-2, n-3, t-3, n-4, t-4.
        Map<String, Double> second = steps.get(1).getMetrics();
        assertThat(second).containsEntry("groups_without_signal", 3.0)
                .containsEntry("zero_advantage_share", 3 / 5.0);
        assertThat(second.get("reward_group_min"))
                .isCloseTo((3 + 3 + 0.1 + 0) / 4, within(1e-12));
    }

    @Test
    void groupsWithoutSignalAloneTakeNoStep(@TempDir Path store) throws Exception {
        Recorded run = train("alone.", store, MIX.stream()
                .filter(g -> g.getGroup().getTask().getTaskId().startsWith("n-")).toList(),
                Map.of(), 0, 4);

        assertThat(run.steps()).as("steps taken").isZero();
        assertThat(new CheckpointDirectory(store).latestValid())
                .as("no checkpoint: nothing new for the fleet to adopt").isEmpty();
        assertThat(run.listener().withoutSignal).hasValue(4);
    }

    @Test
    void groupsSettledWithoutAStepBringACheckpointOfTheSameWeights(@TempDir Path store)
            throws Exception {
        TopicCatalogue topics = TopicCatalogue.withPrefix("settled.");
        List<ScoredGroup> withoutSignal = MIX.stream()
                .filter(g -> g.getGroup().getTask().getTaskId().startsWith("n-")).toList();
        Recorded run = train(topics.prefix(), store, withoutSignal,
                Map.of("trainer.checkpoint-every-settled", "3"), 0, 4);

        assertThat(run.steps()).as("steps taken").isZero();
        assertThat(new CheckpointDirectory(store).latestValid()).as("one checkpoint, after three")
                .contains(store.resolve("v000001"));
        TrainerState state = TrainerState.read(store.resolve("v000001"));
        assertThat(state.step()).isZero();
        assertThat(state.consumedOffsets())
                .containsEntry(topics.name(LogicalTopic.SCORED) + "-0", 3L);
        assertThat(LedgerView.of(store.resolve("v000001")).noSignal())
                .containsExactly("n-1@0", "n-2@1", "n-3@1");
    }

    @Test
    void withoutDynamicSamplingEveryGroupCountsTowardItsStep(@TempDir Path store)
            throws Exception {
        Recorded run = train("every.", store, MIX.subList(0, 4),
                Map.of("trainer.dynamic-sampling", "false"));

        LedgerView ledger = LedgerView.of(store.resolve("v000002"));
        assertThat(ledger.steps()).containsExactly(List.of("t-1", "n-1"), List.of("t-2", "n-2"));
        assertThat(ledger.noSignal()).isEmpty();
        assertThat(run.listener().withoutSignal).hasValue(0);
        assertThat(run.topics().metrics(2, DEADLINE).get(0).getMetrics())
                .containsEntry("groups_without_signal", 0.0)
                .containsEntry("zero_advantage_share", 0.5);
    }

    /** Runs a trainer over {@code groups} until it stops at two steps. */
    private static Recorded train(String prefix, Path store, List<ScoredGroup> groups,
            Map<String, String> settings) throws Exception {
        return train(prefix, store, groups, settings, 2, 0);
    }

    /**
     * Runs a trainer over {@code groups}: until it stops at {@code maxSteps} (when above 0), else
     * until it has settled {@code withoutSignal} groups without signal and is stopped.
     */
    private static Recorded train(String prefix, Path store, List<ScoredGroup> groups,
            Map<String, String> settings, long maxSteps, int withoutSignal) throws Exception {
        return TestLoop.train(kafka, prefix, store, groups, settings, maxSteps,
                listener -> listener.withoutSignal.get() >= withoutSignal);
    }
}
