package ai.collectiveagency.evaluation.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.collectiveagency.evaluation.candidates.AnnouncedCheckpoints;
import ai.collectiveagency.evaluation.candidates.Contestant;
import ai.collectiveagency.evaluation.comparison.SetComparison;
import ai.collectiveagency.evaluation.protocol.Decoding;
import ai.collectiveagency.evaluation.protocol.EvaluationProtocol;
import ai.collectiveagency.evaluation.protocol.PlayedTask;
import ai.collectiveagency.evaluation.protocol.SetPlayer;
import ai.collectiveagency.evaluation.sets.EvaluationSet;
import ai.collectiveagency.policy.Policy;
import ai.collectiveagency.schemas.ComparedPair;
import ai.collectiveagency.schemas.EvalResult;
import ai.collectiveagency.schemas.PolicyCheckpoint;
import ai.collectiveagency.schemas.TaskMode;
import ai.collectiveagency.scoring.onnx.AnchorScorer;
import ai.collectiveagency.scoring.onnx.SentenceEncoder;
import ai.collectiveagency.scoring.sides.BothSidesScorer;
import ai.collectiveagency.scoring.pairwise.PairwiseOutcome;
import ai.collectiveagency.selfplay.TestTasks;
import ai.collectiveagency.selfplay.checkpoint.CheckpointRefusedException;
import ai.collectiveagency.selfplay.checkpoint.LocalDirectoryStore;
import ai.collectiveagency.selfplay.checkpoint.TestCheckpoints;
import ai.collectiveagency.selfplay.checkpoint.TestKeys;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluation on the real test model with the real embedded scorer: the base model against
 * itself, and a signed LoRA checkpoint against the base model.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EvaluatorTest {

    private static final EvaluationPlan PLAN = new EvaluationPlan(List.of(
            new EvaluationSet("negotiations-v1", List.of(
                    TestTasks.task("n1", TaskMode.NEGOTIATION, 31),
                    TestTasks.task("n2", TaskMode.NEGOTIATION, 32),
                    TestTasks.task("n3", TaskMode.NEGOTIATION, 33))),
            new EvaluationSet("answers-v1", List.of(
                    TestTasks.task("s1", TaskMode.SINGLE, 41),
                    TestTasks.task("s2", TaskMode.SINGLE, 42),
                    TestTasks.task("s3", TaskMode.SINGLE, 43)))),
            List.of(Decoding.GREEDY, Decoding.SAMPLED));

    private static Policy base;
    private static SentenceEncoder encoder;
    private static Evaluator evaluator;

    @TempDir
    static Path store;

    @BeforeAll
    static void load() {
        base = Policy.load(TestTasks.MODEL);
        encoder = SentenceEncoder.bundled(256, 1);
        evaluator = new Evaluator(new SetPlayer(EvaluationProtocol.of(3, 2, 1.0, 1.0, 1.0, 12,
                12, 3), TestTasks.compactPrompts(), 2),
                Judges.offline(BothSidesScorer.withDefaults(encoder, 8), 1e-6),
                new AnchorScorer(encoder, null, 8), PLAN);
    }

    @AfterAll
    static void close() {
        encoder.close();
        base.close();
    }

    /** Same task, same seed, same policy: the same texts, so every pair ties and the rate is 1/2. */
    @Test
    @Order(1)
    void theBaseModelAgainstItselfTiesEveryPair() {
        List<String> progress = new ArrayList<>();
        List<SetComparison> comparisons = evaluator.evaluate(Contestant.base(base),
                Contestant.base(base), recording(progress));

        assertThat(comparisons).extracting(c -> c.setId() + " " + c.decoding().label())
                .containsExactly("negotiations-v1 greedy", "negotiations-v1 sampled",
                        "answers-v1 greedy", "answers-v1 sampled");
        for (SetComparison comparison : comparisons) {
            assertThat(comparison.policy()).extracting(PlayedTask::text)
                    .containsExactlyElementsOf(comparison.opponent().stream()
                            .map(PlayedTask::text).toList());
            assertThat(comparison.winRate().ties()).isEqualTo(3);
            assertThat(comparison.winRate().rate()).isEqualTo(0.5);
        }
        assertThat(progress).as("every task of both contestants").last()
                .isEqualTo("total 24");
    }

    @Test
    @Order(2)
    void aCheckpointAgainstTheBaseModelGetsARateInsideItsIntervalAndPairsToShow() {
        TestKeys keys = TestKeys.generate();
        PolicyCheckpoint announced = TestCheckpoints.lora(store.resolve("v7"), 7, keys.signer());
        AnnouncedCheckpoints checkpoints = new AnnouncedCheckpoints(keys.trusted(),
                LocalDirectoryStore.under(store), TestCheckpoints.base(), base);
        Contestant candidate = checkpoints.load(announced);
        List<String> progress = new ArrayList<>();
        List<SetComparison> comparisons;
        try {
            comparisons = evaluator.evaluate(candidate, Contestant.base(base),
                    recording(progress));
        } finally {
            Contestant.base(base).activate();
        }

        assertThat(comparisons.stream().flatMap(c -> c.policy().stream()).map(PlayedTask::text)
                .toList()).as("the adapter changes what is said")
                .isNotEqualTo(comparisons.stream().flatMap(c -> c.opponent().stream())
                        .map(PlayedTask::text).toList());
        for (SetComparison comparison : comparisons) {
            EvalResult result = comparison.toResult(Instant.parse("2026-12-03T10:00:00Z"));
            Map<String, Double> m = result.getMetrics();
            assertThat(result.getEvaluation()).isEqualTo("win-rate");
            assertThat(result.getPolicyVersion()).isEqualTo(7);
            assertThat(result.getAgainst()).isEqualTo("base");
            assertThat(result.getSampleCount()).isEqualTo(3);
            assertThat(m.get("wins") + m.get("ties") + m.get("losses")).isEqualTo(3.0);
            assertThat(m.get("ci_low")).isBetween(0.0, m.get("win_rate"));
            assertThat(m.get("ci_high")).isBetween(m.get("win_rate"), 1.0);
            assertThat(m.get("win_rate")).isEqualTo((m.get("wins") + m.get("ties") / 2) / 3);
            assertThat(result.getPairs()).hasSize(3).allSatisfy(pair -> {
                assertThat(pair.getPolicyFirst()).isIn("policy", "against", "tie");
                assertThat(pair.getAgainstFirst()).isEqualTo(pair.getPolicyFirst());
                assertThat(pair.getOutcome()).isIn("win", "loss", "tie");
            });
            assertThat(result.getPairs()).extracting(ComparedPair::getTaskId)
                    .doesNotHaveDuplicates();
            boolean negotiation = comparison.mode() == TaskMode.NEGOTIATION;
            assertThat(m.containsKey("policy_agreement_rate")).isEqualTo(negotiation);
            assertThat(m).containsKeys("policy_ca_mean", "against_ca_mean",
                    "policy_group_min", "against_group_min");
            assertThat(m.get("policy_group_min")).isLessThanOrEqualTo(m.get("policy_ca_mean") + 1e-12);
        }
        assertThat(comparisons.stream().flatMap(c -> c.comparisons().stream())
                .map(c -> c.outcome())).doesNotContain(PairwiseOutcome.FAILED);
        assertThat(progress).as("the base model's plays of the first test, kept")
                .anyMatch(line -> line.contains("base (kept)"));
    }

    @Test
    void aTamperedCheckpointIsRefusedBeforeItPlays() {
        TestKeys keys = TestKeys.generate();
        PolicyCheckpoint announced = TestCheckpoints.lora(store.resolve("v8"), 8, keys.signer());
        TestCheckpoints.tamper(store.resolve("v8"));
        AnnouncedCheckpoints checkpoints = new AnnouncedCheckpoints(keys.trusted(),
                LocalDirectoryStore.under(store), TestCheckpoints.base(), base);

        assertThatThrownBy(() -> checkpoints.load(announced))
                .isInstanceOf(CheckpointRefusedException.class);
        assertThatThrownBy(() -> checkpoints.load(TestCheckpoints.lora(store.resolve("v9"), 9,
                TestKeys.generate().signer()))).isInstanceOf(CheckpointRefusedException.class)
                .as("signed by a key the service does not trust");
    }

    private static EvaluationProgress recording(List<String> lines) {
        int[] total = {0};
        return new EvaluationProgress() {
            @Override
            public void started(int totalTasks) {
                lines.add("started " + totalTasks);
            }

            @Override
            public void played(String what, int tasks) {
                total[0] += tasks;
                lines.add(what);
                lines.add("total " + total[0]);
            }
        };
    }
}
