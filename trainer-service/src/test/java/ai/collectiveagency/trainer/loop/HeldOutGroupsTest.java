package ai.collectiveagency.trainer.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.collectiveagency.kafka.LocalKafka;
import ai.collectiveagency.policy.lora.PeftAdapterFiles;
import ai.collectiveagency.schemas.EvalResult;
import ai.collectiveagency.schemas.ScoredGroup;
import ai.collectiveagency.schemas.TrainingMetrics;
import ai.collectiveagency.schemas.topics.LogicalTopic;
import ai.collectiveagency.schemas.topics.TopicCatalogue;
import ai.collectiveagency.trainer.LedgerView;
import ai.collectiveagency.trainer.TestGroups;
import ai.collectiveagency.trainer.checkpoint.CheckpointDirectory;
import ai.collectiveagency.trainer.checkpoint.TrainerState;
import ai.collectiveagency.trainer.loop.TestLoop.Recorded;
import ai.collectiveagency.trainer.service.Topics.Evaluation;
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
 * Held-out groups on the real broker, with the loop driven directly (two groups a step, a
 * checkpoint every step, the tiny model): they are never trained on — alone they take no step
 * and write no checkpoint; mixed into the stream they leave the weights and optimizer state bit
 * for bit where training on the other groups alone leaves them — and each one's
 * {@code EvalResult} reaches the metrics topic beside the step metrics.
 */
class HeldOutGroupsTest {

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

    @Test
    void heldOutGroupsAloneTakeNoStepAndEachPublishesItsEvalResult(@TempDir Path store)
            throws Exception {
        ScoredGroup mixedVersions = TestGroups.heldOut("h-1", 2, 0.2, 0.6, 1.0, Double.NaN);
        mixedVersions.getGroup().getTrajectories().get(2).setPolicyVersion(3L);
        mixedVersions.getGroup().getTrajectories().get(0).setAgreementReached(false);
        List<ScoredGroup> groups = List.of(mixedVersions,
                TestGroups.heldOut("h-2", 0, 0.5, 0.5, 0.5, 0.5),
                TestGroups.heldOut("h-3", 1, Double.NaN, Double.NaN, Double.NaN, Double.NaN));

        Recorded run = train("alone.", store, groups, 0, 3);

        assertThat(run.steps()).as("steps taken").isZero();
        assertThat(run.listener().steps).isEmpty();
        assertThat(new CheckpointDirectory(store).latestValid())
                .as("no checkpoint: nothing for the fleet to adopt").isEmpty();
        List<Object> published = run.topics().allMetricsEvents().stream()
                .map(r -> (Object) r.value()).toList();
        assertThat(published).as("no TrainingMetrics, only evaluations")
                .allMatch(EvalResult.class::isInstance).hasSize(3);
        List<Evaluation> evaluations = run.topics().evaluations(3, DEADLINE);
        assertThat(evaluations).extracting(Evaluation::taskId)
                .containsExactly("h-1", "h-2", "h-3");
        assertThat(evaluations).extracting(e -> e.result().getEvaluation())
                .containsOnly("held-out");
        assertThat(evaluations).extracting(e -> e.result().getPolicyVersion())
                .containsExactly(3L, 0L, 1L);
        assertThat(evaluations).extracting(e -> e.result().getSampleCount())
                .containsExactly(3, 4, 0);
        EvalResult first = evaluations.get(0).result();
        assertThat(first.getMetrics().get("reward_mean")).isCloseTo(0.6, within(1e-12));
        assertThat(first.getMetrics()).containsEntry("agreement_rate", 0.75)
                .containsEntry("unscorable", 1.0).containsEntry("trainer_step", 0.0);
        assertThat(evaluations.get(1).result().getMetrics()).containsEntry("reward_mean", 0.5)
                .containsEntry("reward_std", 0.0);
        assertThat(evaluations.get(2).result().getMetrics()).doesNotContainKey("reward_mean")
                .containsEntry("unscorable", 4.0);
        assertThat(run.listener().heldOut).extracting(m -> m.get("reward_mean"))
                .containsExactly(first.getMetrics().get("reward_mean"), 0.5, null);
    }

    @Test
    void aMixTrainsBitForBitAsItsTrainingGroupsAloneAndEvaluatesTheHeldOutOnes(
            @TempDir Path mixStore, @TempDir Path referenceStore) throws Exception {
        List<ScoredGroup> training = List.of(
                TestGroups.group("t-1", 0, 1, 0, 0.5, 0.2),
                TestGroups.group("t-2", 0, 0, 1, 0.3, 0.9),
                TestGroups.group("t-3", 0, 0.1, 0.7, 0.4, Double.NaN),
                TestGroups.group("t-4", 0, 0.9, 0.1, 0.5, 0));
        // Held-out rewards far from the training ones: in a step they would move its reward mean.
        List<ScoredGroup> mix = List.of(training.get(0),
                TestGroups.heldOut("h-1", 0, 5, 5, 5, 5),
                training.get(1),
                TestGroups.heldOut("h-2", 1, -5, 5, -5, 5),
                training.get(2),
                TestGroups.heldOut("h-3", 1, Double.NaN, Double.NaN, Double.NaN, Double.NaN),
                training.get(3));

        TopicCatalogue mixTopics = TopicCatalogue.withPrefix("mix.");
        Recorded mixed = train(mixTopics.prefix(), mixStore, mix, 2, 0);
        Recorded reference = train("reference.", referenceStore, training, 2, 0);

        for (String version : List.of("v000001", "v000002")) {
            for (String file : List.of(PeftAdapterFiles.WEIGHTS_FILE, OPTIMIZER)) {
                assertThat(Files.mismatch(mixStore.resolve(version).resolve(file),
                        referenceStore.resolve(version).resolve(file)))
                        .as(version + "/" + file + " equals training on t-1..t-4 alone")
                        .isEqualTo(-1);
            }
        }
        TrainerState state = TrainerState.read(mixStore.resolve("v000002"));
        LedgerView ledger = LedgerView.of(mixStore.resolve("v000002"));
        assertThat(ledger.steps()).containsExactly(List.of("t-1", "t-2"), List.of("t-3", "t-4"));
        assertThat(ledger.heldOut()).containsExactly("h-1@0", "h-2@1", "h-3@1");
        assertThat(ledger.deadLettered()).isEmpty();
        assertThat(state.consumedOffsets())
                .containsEntry(mixTopics.name(LogicalTopic.SCORED) + "-0", 7L);
        List<TrainingMetrics> steps = mixed.topics().metrics(2, DEADLINE);
        List<TrainingMetrics> referenceSteps = reference.topics().metrics(2, DEADLINE);
        assertThat(steps).extracting(TrainingMetrics::getStep).containsExactly(1L, 2L);
        for (int i = 0; i < 2; i++) {
            for (String name : List.of("groups", "reward_mean", "loss", "tokens")) {
                assertThat(steps.get(i).getMetrics().get(name)).as("step " + (i + 1) + " " + name)
                        .isEqualTo(referenceSteps.get(i).getMetrics().get(name));
            }
        }
        List<Evaluation> evaluations = mixed.topics().evaluations(3, DEADLINE);
        assertThat(evaluations).extracting(Evaluation::taskId)
                .containsExactly("h-1", "h-2", "h-3");
        assertThat(evaluations).extracting(e -> e.result().getMetrics().get("trainer_step"))
                .as("read while step 1 was gathered, then after it")
                .containsExactly(0.0, 1.0, 1.0);
        assertThat(evaluations).extracting(e -> e.result().getMetrics().get("reward_mean"))
                .containsExactly(5.0, 0.0, null);
        assertThat(evaluations).extracting(e -> e.result().getPolicyVersion())
                .containsExactly(0L, 1L, 1L);
    }

    /**
     * Runs a trainer over {@code groups}: until it stops at {@code maxSteps} (when above 0), else
     * until it has evaluated {@code heldOut} groups and is stopped.
     */
    private static Recorded train(String prefix, Path store, List<ScoredGroup> groups,
            long maxSteps, int heldOut) throws Exception {
        return TestLoop.train(kafka, prefix, store, groups, Map.of(), maxSteps,
                listener -> listener.heldOut.size() >= heldOut);
    }
}
